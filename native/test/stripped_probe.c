/* A library for the stripped-library tests (test_symbolizer): its static function is named only
 * by a .symtab, which the stripped copies keep in a separate debug file or in .gnu_debugdata. */
static __attribute__((noinline, noclone, used)) int stripped_probe_hidden(int x) {
    __asm__ volatile("" ::: "memory");
    return x * 3 + 1;
}

__attribute__((visibility("default"))) void *stripped_probe_hidden_address(void) { return (void *)stripped_probe_hidden; }
