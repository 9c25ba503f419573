/*
 * test_dwarf_lines.c — the line-table reader on hand-made malformed units (found by
 * fuzz_elf_dwarf): each must be rejected promptly, without a hang or an unbounded allocation.
 * An alarm turns a hang into a failure of the whole binary.
 */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "dwarf_lines.h"
#include "mt_test.h"

/* A DWARF 5 unit whose directory table declares no entry format and 2^63 entries. */
static size_t v5_unit_with_formatless_table(uint8_t *p, int in_file_table) {
    uint8_t *start = p;
    p += 4;                            /* unit_length, filled below */
    *p++ = 5; *p++ = 0;                /* version 5 */
    *p++ = 8; *p++ = 0;                /* address_size, segment_selector_size */
    uint8_t *header_length = p; p += 4;
    uint8_t *header_start = p;
    *p++ = 1; *p++ = 1; *p++ = 1;      /* min_inst_length, max_ops, default_is_stmt */
    *p++ = (uint8_t)-5; *p++ = 14; *p++ = 13; /* line_base, line_range, opcode_base */
    static const uint8_t lengths[12] = {0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1};
    memcpy(p, lengths, sizeof lengths); p += sizeof lengths;
    if (in_file_table) {               /* one well-formed directory first */
        *p++ = 1; *p++ = 1; *p++ = 0x08; /* format: DW_LNCT_path, DW_FORM_string */
        *p++ = 1; *p++ = '/'; *p++ = 0;
    }
    *p++ = 0;                          /* entry format count: none */
    for (int i = 0; i < 9; i++) *p++ = 0x80; /* entry count 2^63, as ULEB128 */
    *p++ = 0x01;
    uint32_t hl = (uint32_t)(p - header_start);
    memcpy(header_length, &hl, 4);
    *p++ = 0x01;                       /* DW_LNS_copy */
    uint32_t len = (uint32_t)(p - start - 4);
    memcpy(start, &len, 4);
    return (size_t)(p - start);
}

static void check_rejected(int in_file_table) {
    uint8_t unit[128];
    size_t n = v5_unit_with_formatless_table(unit, in_file_table);
    dwarf_sections s = {unit, n, NULL, 0, NULL, 0};
    uint64_t ranges[1][2] = {{0, ~0ull}};
    dwarf_lines t;
    alarm(5);
    ASSERT_EQ(dwarf_lines_parse(&s, ranges, 1, &t), 0);
    alarm(0);
    CHECK_EQ(t.row_count, 0);
    CHECK_EQ(t.file_count, 0);
    dwarf_lines_free(&t);
}

TEST(a_directory_table_without_formats_and_2e63_entries_is_rejected) { check_rejected(0); }
TEST(a_file_table_without_formats_and_2e63_entries_is_rejected) { check_rejected(1); }

MT_TEST_MAIN(a_directory_table_without_formats_and_2e63_entries_is_rejected,
             a_file_table_without_formats_and_2e63_entries_is_rejected)
