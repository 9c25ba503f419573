/*
 * library_name.c — a stable printed name for a library file. Loaders extract bundled libraries
 * under names with a random part, new every run (zstd-jni: libzstd-jni-1.5.7-68519131125055098114.so,
 * sqlite-jdbc: sqlite-3.46.1-<uuid>-libsqlitejdbc.so, JNA: jna1234567890123.tmp), so frames,
 * messages and baselines would differ between runs of the same code. The name is read as parts
 * separated by '-', '_' or '.'; removed are a UUID (8-4-4-4-12 hex digits), a part of 8 or more
 * decimal digits, a part of 8 or more hex digits with both digits and letters (a hash, a random
 * id), and a run of 10 or more digits ending a part (jna1234567890123 -> jna). Versions (1.5.7),
 * architectures (x86_64) and words stay. A removed part takes its separator with it.
 */
#include "library_name.h"

#include <string.h>

#define MAX_PARTS 64

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex_letter(char c) { return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_separator(char c) { return c == '-' || c == '_' || c == '.'; }

typedef struct {
    size_t start, len; /* the part, without the separator before it */
    size_t keep;       /* characters of the part that stay */
} part;

static size_t random_part_keep(const char *s, size_t n) {
    size_t digits = 0, letters = 0, trailing = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_digit(s[i])) digits++;
        else if (is_hex_letter(s[i])) letters++;
    }
    if (n >= 8 && digits + letters == n && digits > 0 && (letters > 0 || digits == n)) return 0;
    while (trailing < n && is_digit(s[n - 1 - trailing])) trailing++;
    return trailing >= 10 ? n - trailing : n;
}

static int all_hex(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]) && !is_hex_letter(s[i])) return 0;
    return 1;
}

size_t library_stable_name(const char *name, char *out, size_t size) {
    part parts[MAX_PARTS];
    size_t len = strlen(name), count = 0, i = 0;
    if (size == 0) return 0;
    while (i <= len && count < MAX_PARTS) {
        size_t start = i;
        while (i < len && !is_separator(name[i])) i++;
        parts[count] = (part){start, i - start, 0};
        parts[count].keep = random_part_keep(name + start, i - start);
        count++;
        if (i == len) break;
        i++;
    }
    if (i < len) { /* more parts than we read: print the name as it is */
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(out, name, n);
        out[n] = 0;
        return n;
    }
    /* UUIDs: five parts of 8, 4, 4, 4, 12 hex digits joined by '-' */
    static const size_t uuid[5] = {8, 4, 4, 4, 12};
    for (size_t p = 0; p + 5 <= count; p++) {
        int match = 1;
        for (size_t g = 0; g < 5 && match; g++) {
            const part *q = &parts[p + g];
            match = q->len == uuid[g] && all_hex(name + q->start, q->len) && (g == 0 || name[q->start - 1] == '-');
        }
        if (match)
            for (size_t g = 0; g < 5; g++) parts[p + g].keep = 0;
    }
    size_t o = 0;
    for (size_t p = 0; p < count; p++) {
        if (parts[p].keep == 0 && parts[p].len > 0) continue;
        if (o > 0 && o + 1 < size) out[o++] = name[parts[p].start - 1];
        for (size_t k = 0; k < parts[p].keep && o + 1 < size; k++) out[o++] = name[parts[p].start + k];
    }
    out[o] = 0;
    return o;
}
