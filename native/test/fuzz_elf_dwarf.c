/*
 * fuzz_elf_dwarf.c — a self-contained mutation fuzzer for the ELF and DWARF readers the
 * symbolizer runs on every library of the test JVM (elf_file, elf_symbols, dwarf_lines), and
 * of stripped ones their .gnu_debuglink and MiniDebugInfo (.gnu_debugdata, decompressed).
 * Built with ASan+UBSan by `make fuzz`; runs for a bounded time and fails on the first crash,
 * sanitizer report or hang. No clang/libFuzzer needed: CI installs gcc only.
 *
 *   fuzz_elf_dwarf SECONDS WORKDIR SEED.so...   (env FUZZ_RNG=n repeats a run; FUZZ_REPLAY=1
 *   runs the given files once unmutated, e.g. a saved crash.so)
 *
 * Each round takes a seed library, applies 1-8 mutations (bit flips, random bytes, boundary
 * values written as 2/4/8-byte integers, truncation), biased towards the ELF header, the section
 * header table and .debug_line, and feeds the result to every reader entry point. The input of
 * the round is written to WORKDIR/crash.so when a sanitizer reports, so a failure is replayable.
 */
#include <fcntl.h>
#include <sanitizer/common_interface_defs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dwarf_lines.h"
#include "elf_file.h"
#include "elf_symbols.h"

typedef struct {
    uint8_t *data;
    size_t size;
    size_t line_off, line_size; /* .debug_line in the seed, 0 if none */
    size_t shdr_off, shdr_size;
} seed_file;

static uint8_t *current;
static size_t current_size;
static char crash_path[4096];
static uint64_t rng_state;

static uint64_t rnd(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ull;
}

static void dump_current(void) {
    if (!current) return;
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) return;
    ssize_t ignored = write(fd, current, current_size);
    (void)ignored;
    close(fd);
    fprintf(stderr, "fuzz: the failing input is %s (%zu bytes)\n", crash_path, current_size);
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "fuzz: one round took over 10 s (a hang)\n";
    ssize_t ignored = write(2, msg, sizeof msg - 1);
    (void)ignored;
    dump_current();
    _exit(3);
}

static int load_seed(const char *path, seed_file *s) {
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    s->data = malloc((size_t)n);
    s->size = fread(s->data, 1, (size_t)n, f) == (size_t)n ? (size_t)n : 0;
    fclose(f);
    elf_file e;
    if (s->size == 0 || elf_from_memory(s->data, s->size, &e) != 0) return -1;
    elf_section line = elf_find_section(&e, ".debug_line", 0);
    s->line_off = line.data ? (size_t)(line.data - s->data) : 0;
    s->line_size = line.data ? line.size : 0;
    s->shdr_off = (size_t)((const uint8_t *)e.shdrs - s->data);
    s->shdr_size = (size_t)e.shnum * sizeof(ElfW(Shdr));
    elf_close(&e);
    return 0;
}

static size_t pick_offset(const seed_file *s, size_t size) {
    switch (rnd() % 4) {
    case 0: return rnd() % (sizeof(ElfW(Ehdr)) < size ? sizeof(ElfW(Ehdr)) : size);
    case 1: if (s->shdr_size && s->shdr_off < size) return s->shdr_off + rnd() % s->shdr_size; break;
    case 2: if (s->line_size && s->line_off < size) return s->line_off + rnd() % s->line_size; break;
    }
    return rnd() % size;
}

static void mutate(const seed_file *s, uint8_t *d, size_t *size) {
    static const uint64_t boundary[] = {0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000u,
                                        0xffffffffu, 0x7fffffffffffffffull, ~0ull};
    int n = 1 + (int)(rnd() % 8);
    for (int i = 0; i < n && *size > 16; i++) {
        size_t at = pick_offset(s, *size);
        switch (rnd() % 5) {
        case 0: d[at] ^= (uint8_t)(1u << (rnd() % 8)); break;
        case 1: d[at] = (uint8_t)rnd(); break;
        case 2: case 3: {
            int width = 1 << (1 + rnd() % 3); /* 2, 4 or 8 bytes */
            uint64_t v = boundary[rnd() % (sizeof boundary / sizeof boundary[0])];
            if (rnd() % 2) v = v + (rnd() % 16) - 8;
            if (at + (size_t)width <= *size) memcpy(d + at, &v, (size_t)width);
            break;
        }
        case 4: if (rnd() % 4 == 0) *size = at + 1; break; /* truncation */
        }
    }
}

static int count_visit(const char *name, uint64_t start, uint64_t end, void *arg) {
    (void)start; (void)end;
    *(size_t *)arg += strlen(name);
    return 0;
}

/* Everything the symbolizer does with a file, in order. */
static void exercise(const uint8_t *data, size_t size) {
    elf_file f;
    if (elf_from_memory(data, size, &f) != 0) return;
    const uint8_t *id;
    size_t id_len = elf_build_id(&f, &id);
    volatile uint8_t sink = id_len ? id[id_len - 1] : 0;
    elf_symbols syms;
    if (elf_symbols_load(&f, &syms) == 0) {
        for (size_t i = 0; i < syms.count; i += 1 + syms.count / 16) {
            const elf_function *fn = elf_symbols_find(&syms, syms.functions[i].start);
            if (fn) sink ^= (uint8_t)fn->name[0];
        }
        elf_symbols_find(&syms, rnd());
        size_t total = 0;
        elf_symbols_each_prefix(&f, &syms, "", count_visit, &total);
        elf_symbols_each_prefix(&f, &syms, "dwarf", count_visit, &total);
        elf_symbols_free(&syms);
    }
    elf_section line = elf_find_section(&f, ".debug_line", 0);
    if (line.data) {
        elf_section line_str = elf_find_section(&f, ".debug_line_str", 0);
        elf_section str = elf_find_section(&f, ".debug_str", 0);
        dwarf_sections ds = {line.data, line.size, line_str.data, line_str.size, str.data, str.size};
        uint64_t ranges[2][2] = {{0, ~0ull}, {rnd() % 0x10000, rnd()}};
        dwarf_lines t;
        if (dwarf_lines_parse(&ds, ranges, 1 + (int)(rnd() % 2), &t) == 0) {
            for (size_t i = 0; i < t.row_count; i += 1 + t.row_count / 16) {
                const char *file;
                int ln;
                if (dwarf_lines_find(&t, t.rows[i].address, &file, &ln) && file) sink ^= (uint8_t)file[0];
            }
            const char *file;
            int ln;
            dwarf_lines_find(&t, rnd(), &file, &ln);
            dwarf_lines_free(&t);
        }
    }
    /* A stripped library's pointers to its symbols: the debug link, the MiniDebugInfo image
     * (decompressed with liblzma when it is there; its .symtab read and merged as the symbolizer does). */
    const char *link;
    uint32_t crc;
    if (elf_debuglink(&f, &link, &crc)) sink ^= (uint8_t)link[0] ^ (uint8_t)crc;
    elf_file mini;
    if (elf_gnu_debugdata(&f, &mini) == 0) {
        elf_symbols outer, inner;
        if (elf_symbols_load(&mini, &inner) == 0) {
            if (elf_symbols_load(&f, &outer) == 0) {
                elf_symbols_merge(&outer, &inner);
                if (outer.count) elf_symbols_find(&outer, outer.functions[outer.count / 2].start);
                elf_symbols_free(&outer);
            }
            elf_symbols_free(&inner);
        }
        elf_close(&mini);
    }
    elf_section_at(&f, (int)(rnd() % 64) - 8);
    (void)sink;
    elf_close(&f);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s SECONDS WORKDIR SEED.so...\n", argv[0]);
        return 2;
    }
    double seconds = atof(argv[1]);
    mkdir(argv[2], 0700);
    snprintf(crash_path, sizeof crash_path, "%s/crash.so", argv[2]);
    const char *fixed = getenv("FUZZ_RNG");
    rng_state = fixed ? strtoull(fixed, NULL, 0) : (uint64_t)time(NULL) * 2654435761u ^ (uint64_t)getpid();
    if (rng_state == 0) rng_state = 1;
    printf("fuzz: rng seed %llu (replay with FUZZ_RNG=%llu)\n", (unsigned long long)rng_state,
           (unsigned long long)rng_state);
    int seed_count = 0;
    seed_file *seeds = calloc((size_t)argc, sizeof *seeds);
    for (int i = 3; i < argc; i++)
        if (load_seed(argv[i], &seeds[seed_count]) == 0) seed_count++;
        else fprintf(stderr, "fuzz: %s is not a readable ELF file, skipped\n", argv[i]);
    if (seed_count == 0) return 2;
    __sanitizer_set_death_callback(dump_current);
    if (getenv("FUZZ_REPLAY")) { /* the seeds as they are, once: replays a saved crash.so */
        for (int i = 0; i < seed_count; i++) exercise(seeds[i].data, seeds[i].size);
        printf("fuzz: replayed %d file(s) without a failure\n", seed_count);
        seconds = 0;
    }
    if (seconds <= 0) {
        for (int i = 0; i < seed_count; i++) free(seeds[i].data);
        free(seeds);
        return 0;
    }
    signal(SIGALRM, on_alarm);

    struct timespec t0, now;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long rounds = 0;
    do {
        const seed_file *s = &seeds[rnd() % (uint64_t)seed_count];
        /* an exact-size heap copy: ASan catches any read past its end */
        current_size = s->size;
        current = malloc(current_size);
        memcpy(current, s->data, current_size);
        mutate(s, current, &current_size);
        if (current_size < s->size) current = realloc(current, current_size); /* truncated: exact again */
        alarm(10);
        exercise(current, current_size);
        alarm(0);
        free(current);
        current = NULL;
        current_size = 0;
        rounds++;
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while ((double)(now.tv_sec - t0.tv_sec) + (double)(now.tv_nsec - t0.tv_nsec) / 1e9 < seconds);
    printf("fuzz: %lu rounds over %d seed file(s) in %.0f s, no crash, no sanitizer report, no hang\n",
           rounds, seed_count, seconds);
    for (int i = 0; i < seed_count; i++) free(seeds[i].data);
    free(seeds);
    return 0;
}
