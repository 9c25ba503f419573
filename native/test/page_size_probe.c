/* Prints the page size this process sees, and fails when it is not the one expected (argv[1]) or
 * mmap does not hand out memory aligned to it: `make test-aarch64` runs it first under each
 * QEMU_PAGESIZE, so that a qemu which ignores the setting fails the run instead of passing it at
 * 4 KiB pages unnoticed. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long want = argc > 1 ? atol(argv[1]) : 0;
    long sc = sysconf(_SC_PAGESIZE), aux = (long)getauxval(AT_PAGESZ);
    void *p = mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int aligned = p != MAP_FAILED && ((unsigned long)p & (unsigned long)(sc - 1)) == 0;
    printf("page size: sysconf %ld, AT_PAGESZ %ld, mmap result %p %s\n", sc, aux, p,
           aligned ? "aligned" : "NOT aligned");
    if (want && (sc != want || aux != want || !aligned)) {
        fprintf(stderr, "page_size_probe: expected %ld-byte pages; the emulator does not present them\n", want);
        return 1;
    }
    return 0;
}
