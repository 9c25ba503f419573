/*
 * elf_file.h — read-only view of an ELF file of the native class (mmapped from disk, or an
 * image already in memory such as the vdso): its header and named sections, bounds-checked.
 * Used by the symbolizer only (outside hooks: may malloc and do file I/O). Not thread-safe by
 * itself; the symbolizer serializes.
 */
#ifndef MEMTRACK_ELF_FILE_H
#define MEMTRACK_ELF_FILE_H
#include <link.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const uint8_t *data; /* NULL when the file or section is absent */
    size_t size;
    int mapped;          /* 1: data came from mmap and is unmapped by elf_close */
    int owned;           /* 1: data came from malloc (a decompressed image) and is freed by elf_close */
    const ElfW(Ehdr) *ehdr;
    const ElfW(Shdr) *shdrs;
    int shnum;
    const char *shstrtab;
    size_t shstrsz;
} elf_file;

typedef struct {
    const uint8_t *data; /* NULL when absent, compressed (SHF_COMPRESSED) or SHT_NOBITS */
    size_t size;
    uint64_t addr;       /* sh_addr */
    int index;
    uint32_t link;       /* sh_link (the string table of a symbol table) */
} elf_section;

/* Maps `path` read-only. Returns 0 and fills *f, or -1 (not ELF, wrong class/machine, I/O). */
int elf_open(const char *path, elf_file *f);
/* Wraps an image that is already mapped (the vdso). Nothing is unmapped by elf_close. */
int elf_from_memory(const void *image, size_t size, elf_file *f);
void elf_close(elf_file *f);

/* MiniDebugInfo (Fedora, CentOS, Arch): the section .gnu_debugdata holds an xz-compressed ELF
 * file with the .symtab of a stripped library (its static functions). Decompresses it into *out
 * (owned, freed by elf_close) with liblzma, loaded at run time (dlopen "liblzma.so.5", never
 * linked: without it this returns -1 and the library shows what its own file has). The image is
 * bounded by ELF_DEBUGDATA_MAX bytes; anything larger or malformed returns -1. Outside hooks
 * only: it mallocs. */
#define ELF_DEBUGDATA_MAX ((size_t)64 << 20)
int elf_gnu_debugdata(const elf_file *f, elf_file *out);
/* The decompressor elf_gnu_debugdata uses, for tests: 1 if liblzma could be loaded. */
int elf_xz_available(void);
/* .gnu_debuglink: the base name of the separate debug file and its CRC-32. Returns 1 if the
 * section is there and well formed (a NUL-terminated name, the CRC at the next 4-byte boundary). */
int elf_debuglink(const elf_file *f, const char **name, uint32_t *crc);
/* The CRC-32 .gnu_debuglink uses (the zlib/gzip one), over a whole file's bytes. */
uint32_t elf_crc32(const uint8_t *data, size_t size);

/* The section named `name`, or one of type `type` when name is NULL. */
elf_section elf_find_section(const elf_file *f, const char *name, uint32_t type);
elf_section elf_section_at(const elf_file *f, int index);
/* The GNU build id (NT_GNU_BUILD_ID) from the file's notes; returns its length (0 if none). */
size_t elf_build_id(const elf_file *f, const uint8_t **id);
/* The same from a loaded object's PT_NOTE segments. */
size_t elf_loaded_build_id(const struct dl_phdr_info *info, const uint8_t **id);
#endif
