#include "elf_file.h"

#include <dlfcn.h>
#include <elf.h>
#include <pthread.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__x86_64__)
#define NATIVE_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define NATIVE_MACHINE EM_AARCH64
#else
#define NATIVE_MACHINE EM_NONE
#endif

static int in_bounds(size_t total, uint64_t offset, uint64_t size) {
    return offset <= total && size <= total - offset;
}

static int parse(elf_file *f) {
    if (f->size < sizeof(ElfW(Ehdr))) return -1;
    const ElfW(Ehdr) *e = (const ElfW(Ehdr) *)f->data;
    if (memcmp(e->e_ident, ELFMAG, SELFMAG) != 0) return -1;
#if __ELF_NATIVE_CLASS == 64
    if (e->e_ident[EI_CLASS] != ELFCLASS64) return -1;
#else
    if (e->e_ident[EI_CLASS] != ELFCLASS32) return -1;
#endif
    if (NATIVE_MACHINE != EM_NONE && e->e_machine != NATIVE_MACHINE) return -1;
    f->ehdr = e;
    if (e->e_shoff && e->e_shentsize == sizeof(ElfW(Shdr)) && e->e_shoff % _Alignof(ElfW(Shdr)) == 0 &&
        in_bounds(f->size, e->e_shoff, (uint64_t)e->e_shnum * sizeof(ElfW(Shdr)))) {
        f->shdrs = (const ElfW(Shdr) *)(f->data + e->e_shoff);
        f->shnum = e->e_shnum;
        if (e->e_shstrndx < f->shnum) {
            const ElfW(Shdr) *s = &f->shdrs[e->e_shstrndx];
            if (s->sh_type != SHT_NOBITS && in_bounds(f->size, s->sh_offset, s->sh_size)) {
                f->shstrtab = (const char *)(f->data + s->sh_offset);
                f->shstrsz = s->sh_size;
            }
        }
    }
    return 0;
}

int elf_open(const char *path, elf_file *f) {
    memset(f, 0, sizeof *f);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
        close(fd);
        return -1;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (p == MAP_FAILED) return -1;
    f->data = p;
    f->size = (size_t)st.st_size;
    f->mapped = 1;
    if (parse(f) != 0) {
        elf_close(f);
        return -1;
    }
    return 0;
}

int elf_from_memory(const void *image, size_t size, elf_file *f) {
    memset(f, 0, sizeof *f);
    if (!image) return -1;
    f->data = image;
    f->size = size;
    return parse(f);
}

void elf_close(elf_file *f) {
    if (f->mapped && f->data) munmap((void *)f->data, f->size);
    if (f->owned) free((void *)f->data);
    memset(f, 0, sizeof *f);
}

elf_section elf_section_at(const elf_file *f, int index) {
    elf_section out;
    memset(&out, 0, sizeof out);
    out.index = -1;
    if (index <= 0 || index >= f->shnum) return out;
    const ElfW(Shdr) *s = &f->shdrs[index];
    out.index = index;
    out.addr = s->sh_addr;
    out.link = s->sh_link;
    /* Compressed debug sections (objcopy --compress-debug-sections, Debian's dbgsym) would need
     * zlib/zstd: treated as absent, the caller reports no line. */
    if (s->sh_type == SHT_NOBITS || (s->sh_flags & SHF_COMPRESSED)) return out;
    if (!in_bounds(f->size, s->sh_offset, s->sh_size)) return out;
    out.data = f->data + s->sh_offset;
    out.size = s->sh_size;
    return out;
}

elf_section elf_find_section(const elf_file *f, const char *name, uint32_t type) {
    for (int i = 1; i < f->shnum; i++) {
        const ElfW(Shdr) *s = &f->shdrs[i];
        if (name) {
            if (!f->shstrtab || s->sh_name >= f->shstrsz) continue;
            const char *n = f->shstrtab + s->sh_name;
            if (strnlen(n, f->shstrsz - s->sh_name) == f->shstrsz - s->sh_name || strcmp(n, name) != 0) continue;
        } else if (s->sh_type != type) {
            continue;
        }
        return elf_section_at(f, i);
    }
    elf_section none;
    memset(&none, 0, sizeof none);
    none.index = -1;
    return none;
}

/* Walks a note area for NT_GNU_BUILD_ID. */
static size_t find_build_id(const uint8_t *p, size_t size, const uint8_t **id) {
    size_t off = 0;
    if ((uintptr_t)p % _Alignof(ElfW(Nhdr)) != 0) return 0;
    while (size - off >= sizeof(ElfW(Nhdr))) {
        const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)(p + off);
        /* widened before rounding: a 32-bit size near 2^32 would round to 0 and pass the bounds check */
        size_t name_size = ((size_t)n->n_namesz + 3) & ~(size_t)3, desc_size = ((size_t)n->n_descsz + 3) & ~(size_t)3;
        off += sizeof *n;
        if (name_size > size - off || desc_size > size - off - name_size) return 0;
        if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && memcmp(p + off, "GNU", 4) == 0) {
            *id = p + off + name_size;
            return n->n_descsz;
        }
        off += name_size + desc_size;
    }
    return 0;
}

size_t elf_build_id(const elf_file *f, const uint8_t **id) {
    for (int i = 1; i < f->shnum; i++) {
        if (f->shdrs[i].sh_type != SHT_NOTE) continue;
        elf_section s = elf_section_at(f, i);
        size_t n = s.data ? find_build_id(s.data, s.size, id) : 0;
        if (n) return n;
    }
    return 0;
}

size_t elf_loaded_build_id(const struct dl_phdr_info *info, const uint8_t **id) {
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) continue;
        size_t n = find_build_id((const uint8_t *)(info->dlpi_addr + ph->p_vaddr), ph->p_memsz, id);
        if (n) return n;
    }
    return 0;
}

/* ---- MiniDebugInfo -------------------------------------------------------------------------- */

/* lzma_stream_buffer_decode from liblzma 5 (lzma/container.h), declared here so that building
 * needs no liblzma headers and the agent no liblzma at run time. Return codes used: 0 LZMA_OK,
 * 10 LZMA_BUF_ERROR (the output buffer is too small). */
typedef int (*xz_buffer_decode_fn)(uint64_t *memlimit, uint32_t flags, const void *allocator, const uint8_t *in,
                                   size_t *in_pos, size_t in_size, uint8_t *out, size_t *out_pos, size_t out_size);
#define XZ_OK 0
#define XZ_BUF_ERROR 10

static xz_buffer_decode_fn xz_decode;
static pthread_once_t xz_once = PTHREAD_ONCE_INIT;

static void load_xz(void) {
    /* Kept loaded for good: the handle is never closed. */
    void *h = dlopen("liblzma.so.5", RTLD_NOW | RTLD_LOCAL);
    if (h) xz_decode = (xz_buffer_decode_fn)dlsym(h, "lzma_stream_buffer_decode");
}

int elf_xz_available(void) {
    pthread_once(&xz_once, load_xz);
    return xz_decode != NULL;
}

int elf_gnu_debugdata(const elf_file *f, elf_file *out) {
    memset(out, 0, sizeof *out);
    elf_section s = elf_find_section(f, ".gnu_debugdata", 0);
    if (!s.data || s.size < 12 || !elf_xz_available()) return -1;
    /* The image is usually 3-5 times the compressed size: start at 8 times, grow to the bound. */
    size_t cap = s.size <= ELF_DEBUGDATA_MAX / 8 ? s.size * 8 : ELF_DEBUGDATA_MAX;
    for (;;) {
        uint8_t *buf = malloc(cap);
        if (!buf) return -1;
        uint64_t memlimit = (uint64_t)64 << 20; /* the decoder's own memory */
        size_t in_pos = 0, out_pos = 0;
        int r = xz_decode(&memlimit, 0, NULL, s.data, &in_pos, s.size, buf, &out_pos, cap);
        if (r == XZ_OK) {
            out->data = buf;
            out->size = out_pos;
            out->owned = 1;
            if (parse(out) != 0) {
                elf_close(out);
                return -1;
            }
            return 0;
        }
        free(buf);
        if (r != XZ_BUF_ERROR || cap >= ELF_DEBUGDATA_MAX) return -1;
        cap = cap <= ELF_DEBUGDATA_MAX / 2 ? cap * 2 : ELF_DEBUGDATA_MAX;
    }
}

/* ---- .gnu_debuglink ------------------------------------------------------------------------- */

int elf_debuglink(const elf_file *f, const char **name, uint32_t *crc) {
    elf_section s = elf_find_section(f, ".gnu_debuglink", 0);
    if (!s.data || s.size < 6) return 0;
    size_t n = strnlen((const char *)s.data, s.size);
    size_t crc_at = (n + 1 + 3) & ~(size_t)3;
    if (n == 0 || n >= s.size || crc_at > s.size - 4) return 0;
    *name = (const char *)s.data;
    memcpy(crc, s.data + crc_at, 4);
    return 1;
}

static uint32_t crc_table[256];

static void build_crc_table(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

uint32_t elf_crc32(const uint8_t *data, size_t size) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, build_crc_table);
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < size; i++) c = crc_table[(c ^ data[i]) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}
