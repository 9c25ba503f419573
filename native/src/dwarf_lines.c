/*
 * dwarf_lines.c — see dwarf_lines.h. Follows DWARF 5 section 6.2 (and its 2-4 predecessors):
 * unit header, directory/file tables (inline strings up to v4, entry formats from v5 on), then
 * the line-number state machine with standard, extended and special opcodes.
 */
#include "dwarf_lines.h"

#include <stdlib.h>
#include <string.h>

enum {
    DW_LNS_copy = 1, DW_LNS_advance_pc, DW_LNS_advance_line, DW_LNS_set_file, DW_LNS_set_column,
    DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_const_add_pc, DW_LNS_fixed_advance_pc,
    DW_LNS_set_prologue_end, DW_LNS_set_epilogue_begin, DW_LNS_set_isa
};
enum { DW_LNE_end_sequence = 1, DW_LNE_set_address, DW_LNE_define_file, DW_LNE_set_discriminator };
enum { DW_LNCT_path = 1 };
enum {
    DW_FORM_block2 = 0x03, DW_FORM_block4 = 0x04, DW_FORM_data2 = 0x05, DW_FORM_data4 = 0x06,
    DW_FORM_data8 = 0x07, DW_FORM_string = 0x08, DW_FORM_block = 0x09, DW_FORM_block1 = 0x0a,
    DW_FORM_data1 = 0x0b, DW_FORM_flag = 0x0c, DW_FORM_sdata = 0x0d, DW_FORM_strp = 0x0e,
    DW_FORM_udata = 0x0f, DW_FORM_strx = 0x1a, DW_FORM_strp_sup = 0x1d, DW_FORM_data16 = 0x1e,
    DW_FORM_line_strp = 0x1f, DW_FORM_strx1 = 0x25, DW_FORM_strx2 = 0x26, DW_FORM_strx3 = 0x27,
    DW_FORM_strx4 = 0x28, DW_FORM_GNU_strp_alt = 0x1f21
};

/* A bounds-checked little cursor: reads past the end set `bad` and yield zeros. */
typedef struct {
    const uint8_t *p, *end;
    int bad;
} reader;

static int need(reader *r, size_t n) {
    if (r->bad || (size_t)(r->end - r->p) < n) {
        r->bad = 1;
        r->p = r->end;
        return 0;
    }
    return 1;
}

static uint64_t read_fixed(reader *r, size_t n) {
    if (!need(r, n)) return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n && i < 8; i++) v |= (uint64_t)r->p[i] << (8 * i); /* host is little-endian */
    r->p += n;
    return v;
}

static void skip(reader *r, uint64_t n) {
    if (n > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        r->p = r->end;
    } else {
        r->p += n;
    }
}

static uint64_t read_uleb(reader *r) {
    uint64_t v = 0;
    for (int shift = 0; need(r, 1); shift += 7) {
        uint8_t b = *r->p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    return v;
}

static int64_t read_sleb(reader *r) {
    uint64_t v = 0;
    int shift = 0;
    uint8_t b = 0;
    while (need(r, 1)) {
        b = *r->p++;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        shift += 7;
        if (!(b & 0x80)) break;
    }
    if (shift < 64 && (b & 0x40)) v |= ~(uint64_t)0 << shift;
    return (int64_t)v;
}

static const char *read_cstr(reader *r) {
    const uint8_t *nul = r->bad ? NULL : memchr(r->p, 0, (size_t)(r->end - r->p));
    if (!nul) {
        r->bad = 1;
        r->p = r->end;
        return "";
    }
    const char *s = (const char *)r->p;
    r->p = nul + 1;
    return s;
}

static const char *string_at(const uint8_t *sec, size_t size, uint64_t offset) {
    if (!sec || offset >= size || !memchr(sec + offset, 0, size - offset)) return NULL;
    return (const char *)sec + offset;
}

/* Reads one attribute value of a v5 directory/file entry. Returns its string for string forms
 * we can resolve, else NULL; sets r->bad for forms we cannot even skip. */
static const char *read_form(reader *r, uint64_t form, int offset_size, const dwarf_sections *s) {
    switch (form) {
    case DW_FORM_string: return read_cstr(r);
    case DW_FORM_line_strp: return string_at(s->line_str, s->line_str_size, read_fixed(r, offset_size));
    case DW_FORM_strp: return string_at(s->str, s->str_size, read_fixed(r, offset_size));
    case DW_FORM_strp_sup:
    case DW_FORM_GNU_strp_alt: skip(r, offset_size); return NULL; /* in a supplementary file */
    case DW_FORM_strx: case DW_FORM_udata: read_uleb(r); return NULL; /* strx needs .debug_info */
    case DW_FORM_sdata: read_sleb(r); return NULL;
    case DW_FORM_strx1: case DW_FORM_data1: case DW_FORM_flag: skip(r, 1); return NULL;
    case DW_FORM_strx2: case DW_FORM_data2: skip(r, 2); return NULL;
    case DW_FORM_strx3: skip(r, 3); return NULL;
    case DW_FORM_strx4: case DW_FORM_data4: skip(r, 4); return NULL;
    case DW_FORM_data8: skip(r, 8); return NULL;
    case DW_FORM_data16: skip(r, 16); return NULL;
    case DW_FORM_block: skip(r, read_uleb(r)); return NULL;
    case DW_FORM_block1: skip(r, read_fixed(r, 1)); return NULL;
    case DW_FORM_block2: skip(r, read_fixed(r, 2)); return NULL;
    case DW_FORM_block4: skip(r, read_fixed(r, 4)); return NULL;
    default: r->bad = 1; return NULL;
    }
}

typedef struct {
    size_t first_row, row_count;
    uint64_t start;
} sequence;

/* Growable arrays of the parse; everything is moved into dwarf_lines at the end. */
typedef struct {
    dwarf_row *rows;
    size_t nrows, cap_rows;
    const char **files;
    size_t nfiles, cap_files;
    sequence *seqs;
    size_t nseqs, cap_seqs;
    int oom;
} builder;

static int grow(void **p, size_t *cap, size_t need_count, size_t elem) {
    if (need_count <= *cap) return 1;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need_count) n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q) return 0;
    *p = q;
    *cap = n;
    return 1;
}

static void add_row(builder *b, uint64_t address, uint32_t file, uint32_t line) {
    if (b->oom || !grow((void **)&b->rows, &b->cap_rows, b->nrows + 1, sizeof *b->rows)) {
        b->oom = 1;
        return;
    }
    b->rows[b->nrows++] = (dwarf_row){address, file, line};
}

static void add_file(builder *b, const char *name) {
    if (b->oom || !grow((void **)&b->files, &b->cap_files, b->nfiles + 1, sizeof *b->files)) {
        b->oom = 1;
        return;
    }
    b->files[b->nfiles++] = name;
}

static int in_ranges(uint64_t a, const uint64_t (*ranges)[2], int n) {
    for (int i = 0; i < n; i++)
        if (a >= ranges[i][0] && a < ranges[i][1]) return 1;
    return 0;
}

/* Keeps the sequence that starts at row `first` (just closed) or drops its rows. */
static void close_sequence(builder *b, size_t first, const uint64_t (*ranges)[2], int nranges) {
    if (b->oom || first >= b->nrows) return;
    if (b->nrows - first < 2 || !in_ranges(b->rows[first].address, ranges, nranges)) {
        b->nrows = first;
        return;
    }
    if (!grow((void **)&b->seqs, &b->cap_seqs, b->nseqs + 1, sizeof *b->seqs)) {
        b->oom = 1;
        return;
    }
    b->seqs[b->nseqs++] = (sequence){first, b->nrows - first, b->rows[first].address};
}

typedef struct {
    int version, offset_size, address_size;
    uint8_t min_inst_length, max_ops, line_range, opcode_base;
    int8_t line_base;
    const uint8_t *standard_lengths;
    size_t first_file, file_count; /* this unit's files in builder.files */
} unit_header;

/* v5 directory or file table: `format` pairs then `count` entries. Returns 0 on error. */
static int read_entry_table(reader *r, const unit_header *u, const dwarf_sections *s, builder *b, int add) {
    uint8_t format_count = (uint8_t)read_fixed(r, 1);
    uint64_t content[32], form[32];
    if (format_count > 32) return 0;
    for (int i = 0; i < format_count; i++) {
        content[i] = read_uleb(r);
        form[i] = read_uleb(r);
    }
    uint64_t count = read_uleb(r);
    /* Each entry takes at least one byte: a count beyond what is left (or entries without any
     * format) is malformed, and would otherwise loop without reading (a hang, unbounded files). */
    if (count > 0 && (format_count == 0 || count > (uint64_t)(r->end - r->p))) return 0;
    for (uint64_t e = 0; e < count && !r->bad; e++) {
        const char *path = NULL;
        for (int i = 0; i < format_count; i++) {
            const char *v = read_form(r, form[i], u->offset_size, s);
            if (content[i] == DW_LNCT_path) path = v;
        }
        if (add) add_file(b, path ? path : "");
    }
    return !r->bad;
}

static uint32_t file_of(const unit_header *u, uint64_t reg) {
    /* DWARF 5 numbers files from 0; earlier versions from 1. */
    uint64_t local = u->version >= 5 ? reg : reg - 1;
    if (reg == 0 && u->version < 5) return DWARF_NO_FILE;
    return local < u->file_count ? (uint32_t)(u->first_file + local) : DWARF_NO_FILE;
}

static void run_program(reader *r, unit_header *u, builder *b, const uint64_t (*ranges)[2], int nranges,
                        int default_is_stmt) {
    uint64_t address = 0, file = 1, op_index = 0;
    int64_t line = 1;
    size_t seq_first = b->nrows;
    (void)default_is_stmt; /* every row counts: is_stmt only marks recommended breakpoints */

#define ADVANCE(op_advance)                                                                 \
    do {                                                                                    \
        uint64_t adv_ = (op_advance);                                                       \
        address += u->min_inst_length * ((op_index + adv_) / u->max_ops);                   \
        op_index = (op_index + adv_) % u->max_ops;                                          \
    } while (0)
#define EMIT() add_row(b, address, file_of(u, file), line > 0 && line < 0x7fffffff ? (uint32_t)line : 0)

    while (r->p < r->end && !r->bad && !b->oom) {
        uint8_t op = (uint8_t)read_fixed(r, 1);
        if (op >= u->opcode_base) {
            uint8_t adjusted = op - u->opcode_base;
            ADVANCE(adjusted / u->line_range);
            line += u->line_base + adjusted % u->line_range;
            EMIT();
            continue;
        }
        switch (op) {
        case 0: {
            uint64_t len = read_uleb(r);
            if (len == 0 || len > (uint64_t)(r->end - r->p)) {
                skip(r, len);
                break;
            }
            const uint8_t *next = r->p + len;
            uint8_t sub = (uint8_t)read_fixed(r, 1);
            if (sub == DW_LNE_end_sequence) {
                add_row(b, address, DWARF_END_OF_SEQUENCE, 0);
                close_sequence(b, seq_first, ranges, nranges);
                seq_first = b->nrows;
                address = 0, file = 1, line = 1, op_index = 0;
            } else if (sub == DW_LNE_set_address) {
                address = read_fixed(r, (size_t)(len - 1));
                op_index = 0;
            } else if (sub == DW_LNE_define_file && u->version <= 4) {
                const char *name = read_cstr(r);
                /* Files stay contiguous per unit: nothing else appends while a unit runs. */
                add_file(b, name);
                u->file_count++;
            }
            r->p = next;
            break;
        }
        case DW_LNS_copy: EMIT(); break;
        case DW_LNS_advance_pc: ADVANCE(read_uleb(r)); break;
        case DW_LNS_advance_line: line += read_sleb(r); break;
        case DW_LNS_set_file: file = read_uleb(r); break;
        case DW_LNS_set_column: read_uleb(r); break;
        case DW_LNS_negate_stmt:
        case DW_LNS_set_basic_block: break;
        case DW_LNS_const_add_pc: ADVANCE((255 - u->opcode_base) / u->line_range); break;
        case DW_LNS_fixed_advance_pc:
            address += read_fixed(r, 2);
            op_index = 0;
            break;
        case DW_LNS_set_prologue_end:
        case DW_LNS_set_epilogue_begin: break;
        case DW_LNS_set_isa: read_uleb(r); break;
        default: /* an opcode of a later standard: its operand count is in the header */
            for (uint8_t i = 0; i < u->standard_lengths[op - 1]; i++) read_uleb(r);
            break;
        }
    }
    /* A sequence without DW_LNE_end_sequence has no known end: drop it. */
    if (!b->oom) b->nrows = seq_first;
#undef ADVANCE
#undef EMIT
}

/* Parses one unit starting at r->p; returns 0 to stop (unusable length), 1 to go on. */
static int parse_unit(reader *all, const dwarf_sections *s, builder *b, const uint64_t (*ranges)[2], int nranges) {
    unit_header u;
    memset(&u, 0, sizeof u);
    u.offset_size = 4;
    uint64_t length = read_fixed(all, 4);
    if (length == 0xffffffffu) {
        length = read_fixed(all, 8);
        u.offset_size = 8;
    } else if (length >= 0xfffffff0u) {
        return 0;
    }
    if (all->bad || length > (uint64_t)(all->end - all->p)) return 0;
    reader r = {all->p, all->p + length, 0};
    all->p += length;

    u.version = (int)read_fixed(&r, 2);
    if (u.version < 2 || u.version > 5) return 1;
    u.address_size = (int)sizeof(void *);
    if (u.version >= 5) {
        u.address_size = (int)read_fixed(&r, 1);
        read_fixed(&r, 1); /* segment_selector_size */
    }
    uint64_t header_length = read_fixed(&r, (size_t)u.offset_size);
    if (r.bad || header_length > (uint64_t)(r.end - r.p)) return 1;
    const uint8_t *program = r.p + header_length;
    u.min_inst_length = (uint8_t)read_fixed(&r, 1);
    u.max_ops = u.version >= 4 ? (uint8_t)read_fixed(&r, 1) : 1;
    if (u.max_ops == 0) u.max_ops = 1;
    int default_is_stmt = (int)read_fixed(&r, 1);
    u.line_base = (int8_t)read_fixed(&r, 1);
    u.line_range = (uint8_t)read_fixed(&r, 1);
    u.opcode_base = (uint8_t)read_fixed(&r, 1);
    if (r.bad || u.line_range == 0 || u.opcode_base == 0) return 1;
    u.standard_lengths = r.p;
    skip(&r, u.opcode_base - 1u);

    u.first_file = b->nfiles;
    if (u.version >= 5) {
        if (!read_entry_table(&r, &u, s, b, 0) || !read_entry_table(&r, &u, s, b, 1)) {
            b->nfiles = u.first_file;
            return 1;
        }
    } else {
        while (!r.bad && *read_cstr(&r)) {} /* include_directories */
        for (;;) {
            const char *name = read_cstr(&r);
            if (r.bad || !*name) break;
            read_uleb(&r); /* directory index */
            read_uleb(&r); /* modification time */
            read_uleb(&r); /* length */
            add_file(b, name);
        }
    }
    if (r.bad || b->oom || program > r.end) {
        b->nfiles = u.first_file;
        return 1;
    }
    u.file_count = b->nfiles - u.first_file;
    r.p = program;
    run_program(&r, &u, b, ranges, nranges, default_is_stmt);
    return 1;
}

static int by_start(const void *a, const void *b) {
    const sequence *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return x->first_row < y->first_row ? -1 : x->first_row > y->first_row;
}

int dwarf_lines_parse(const dwarf_sections *s, const uint64_t (*ranges)[2], int nranges, dwarf_lines *out) {
    memset(out, 0, sizeof *out);
    if (!s->line || !s->line_size) return 0;
    builder b;
    memset(&b, 0, sizeof b);
    reader all = {s->line, s->line + s->line_size, 0};
    while (all.p < all.end && !b.oom && parse_unit(&all, s, &b, ranges, nranges)) {}

    dwarf_row *sorted = NULL;
    if (!b.oom && b.nseqs) {
        /* Each sequence is ascending already; order the sequences so the whole table is. */
        qsort(b.seqs, b.nseqs, sizeof *b.seqs, by_start);
        sorted = malloc(b.nrows * sizeof *sorted);
        if (sorted) {
            size_t k = 0;
            for (size_t i = 0; i < b.nseqs; i++) {
                memcpy(sorted + k, b.rows + b.seqs[i].first_row, b.seqs[i].row_count * sizeof *sorted);
                k += b.seqs[i].row_count;
            }
            out->row_count = k;
        } else {
            b.oom = 1;
        }
    }
    free(b.rows);
    free(b.seqs);
    if (b.oom) {
        free(sorted);
        free(b.files);
        return -1;
    }
    out->rows = sorted;
    out->files = b.files;
    out->file_count = b.nfiles;
    return 0;
}

int dwarf_lines_find(const dwarf_lines *t, uint64_t addr, const char **file, int *line) {
    size_t lo = 0, hi = t->row_count; /* first row with address > addr */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->rows[mid].address <= addr) lo = mid + 1;
        else hi = mid;
    }
    if (lo == 0) return 0;
    const dwarf_row *row = &t->rows[lo - 1];
    if (row->file == DWARF_END_OF_SEQUENCE) return 0;
    *file = row->file < t->file_count ? t->files[row->file] : NULL;
    *line = (int)row->line;
    return 1;
}

void dwarf_lines_free(dwarf_lines *t) {
    free(t->rows);
    free(t->files);
    memset(t, 0, sizeof *t);
}
