/*
 * test_elf_file.c — the ELF reader's note walk on this test binary's own build id, intact and
 * with a note size near 2^32 (found by fuzz_elf_dwarf: the size rounded up in 32 bits wrapped to 0,
 * passed the bounds check, and the build id's length was read past the end of the image).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elf_file.h"
#include "mt_test.h"

/* This binary, copied into 8-byte-aligned memory that the test may damage. */
static uint8_t *own_image(size_t *size) {
    FILE *in = fopen("/proc/self/exe", "rb");
    if (!in) return NULL;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    uint8_t *image = aligned_alloc(8, ((size_t)n + 7) & ~(size_t)7);
    if (image && fread(image, 1, (size_t)n, in) != (size_t)n) { free(image); image = NULL; }
    fclose(in);
    *size = (size_t)n;
    return image;
}

/* The n_descsz field of the build-id note, inside `image`. */
static uint32_t *build_id_desc_size(uint8_t *image, size_t size) {
    elf_file f;
    if (elf_from_memory(image, size, &f) != 0) return NULL;
    elf_section s = elf_find_section(&f, ".note.gnu.build-id", 0);
    if (!s.data) return NULL;
    return (uint32_t *)(image + (s.data - f.data) + 4); /* Nhdr: namesz, descsz, type */
}

TEST(reads_the_build_id_of_an_intact_file) {
    size_t size;
    uint8_t *image = own_image(&size);
    ASSERT_TRUE(image != NULL);
    ASSERT_TRUE(build_id_desc_size(image, size) != NULL);
    elf_file f;
    ASSERT_EQ(elf_from_memory(image, size, &f), 0);
    const uint8_t *id = NULL;
    CHECK_EQ(elf_build_id(&f, &id), *build_id_desc_size(image, size));
    CHECK_TRUE(id > image && id < image + size);
    free(image);
}

TEST(a_note_size_near_2e32_is_rejected_not_read_past_the_end) {
    size_t size;
    uint8_t *image = own_image(&size);
    ASSERT_TRUE(image != NULL);
    uint32_t *desc_size = build_id_desc_size(image, size);
    ASSERT_TRUE(desc_size != NULL);
    *desc_size = 0xfffffffeu;
    elf_file f;
    ASSERT_EQ(elf_from_memory(image, size, &f), 0);
    const uint8_t *id = NULL;
    CHECK_EQ(elf_build_id(&f, &id), 0);
    free(image);
}

MT_TEST_MAIN(reads_the_build_id_of_an_intact_file, a_note_size_near_2e32_is_rejected_not_read_past_the_end)
