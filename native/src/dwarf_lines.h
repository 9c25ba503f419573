/*
 * dwarf_lines.h — the DWARF line-number program (.debug_line, versions 2 to 5) of one object,
 * run once into a table sorted by address: file address -> (source file, line).
 * File names point into the mapped sections (.debug_line, .debug_line_str, .debug_str): the
 * mapping must outlive the table. Not thread-safe by itself; the symbolizer serializes.
 */
#ifndef MEMTRACK_DWARF_LINES_H
#define MEMTRACK_DWARF_LINES_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *line;     /* .debug_line (required) */
    size_t line_size;
    const uint8_t *line_str; /* .debug_line_str (DWARF 5 DW_FORM_line_strp), may be NULL */
    size_t line_str_size;
    const uint8_t *str;      /* .debug_str (DW_FORM_strp), may be NULL */
    size_t str_size;
} dwarf_sections;

typedef struct {
    uint64_t address;
    uint32_t file; /* index into files, DWARF_NO_FILE, or DWARF_END_OF_SEQUENCE */
    uint32_t line;
} dwarf_row;

#define DWARF_NO_FILE 0xfffffffeu
#define DWARF_END_OF_SEQUENCE 0xffffffffu

typedef struct {
    dwarf_row *rows; /* sequences in address order, each closed by an end-of-sequence row */
    size_t row_count;
    const char **files; /* file names as written in the line tables (often full paths) */
    size_t file_count;
} dwarf_lines;

/* Parses every unit of .debug_line. Sequences whose first address lies in none of the
 * [ranges[i][0], ranges[i][1]) (file addresses of executable segments) are dropped: that is
 * how linkers leave the line programs of discarded functions (address 0 or -1 tombstones).
 * Malformed units are skipped. Returns 0, or -1 when out of memory. */
int dwarf_lines_parse(const dwarf_sections *sections, const uint64_t (*ranges)[2], int range_count,
                      dwarf_lines *out);
/* The row with the greatest address <= addr in the same sequence. Returns 1 and sets *file
 * (NULL if unknown) and *line, or 0 when addr is covered by no sequence. */
int dwarf_lines_find(const dwarf_lines *t, uint64_t addr, const char **file, int *line);
void dwarf_lines_free(dwarf_lines *t);
#endif
