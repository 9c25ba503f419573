/* Unit tests for the dlsym/dlvsym hook entry points (symbol_lookup.c): dlsym(RTLD_NEXT) must reach
 * the real function with the caller's return address — glibc resolves RTLD_NEXT relative to the
 * object that address lies in — and every other handle goes to the lookup with its arguments. */
#include <dlfcn.h>
#include <stdint.h>

#include "mt_test.h"
#include "symbol_lookup.h"

static void *seen_return, *seen_handle;
static const char *seen_name, *seen_version;
static int real_calls, lookup_calls;

__attribute__((noinline)) static void *fake_dlsym(void *handle, const char *name) {
    seen_return = __builtin_return_address(0);
    seen_handle = handle;
    seen_name = name;
    real_calls++;
    return (void *)0x1000;
}

__attribute__((noinline)) static void *fake_dlvsym(void *handle, const char *name, const char *version) {
    seen_return = __builtin_return_address(0);
    seen_handle = handle;
    seen_name = name;
    seen_version = version;
    real_calls++;
    return (void *)0x2000;
}

static void *fake_lookup(void *handle, const char *name) {
    seen_handle = handle;
    seen_name = name;
    lookup_calls++;
    return (void *)0x3000;
}

static void *fake_vlookup(void *handle, const char *name, const char *version) {
    seen_handle = handle;
    seen_name = name;
    seen_version = version;
    lookup_calls++;
    return (void *)0x4000;
}

/* The callers whose return address the real dlsym must see; small, so the call is in their first
 * bytes. The empty asm after the call keeps it a call (no tail call to the trampoline). */
__attribute__((noinline)) static void *next_from_here(void) {
    void *r = hook_dlsym(RTLD_NEXT, "malloc");
    __asm__ volatile("" ::: "memory");
    return r;
}

__attribute__((noinline)) static void *next_version_from_here(void) {
    void *r = hook_dlvsym(RTLD_NEXT, "malloc", "GLIBC_2.2.5");
    __asm__ volatile("" ::: "memory");
    return r;
}

static int inside(void *address, void *function, uintptr_t bytes) {
    return (uintptr_t)address > (uintptr_t)function && (uintptr_t)address < (uintptr_t)function + bytes;
}

TEST(rtld_next_reaches_the_real_dlsym_with_the_callers_return_address) {
    mt_dlsym_real = (void *)fake_dlsym;
    mt_dlsym_lookup = fake_lookup;
    real_calls = lookup_calls = 0;
    CHECK_TRUE(next_from_here() == (void *)0x1000);
    CHECK_EQ(real_calls, 1);
    CHECK_EQ(lookup_calls, 0);
    CHECK_TRUE(seen_handle == RTLD_NEXT);
    CHECK_STR_EQ(seen_name, "malloc");
    CHECK_TRUE(inside(seen_return, (void *)next_from_here, 64));
    CHECK_TRUE(!inside(seen_return, (void *)hook_dlsym, 32));
}

TEST(rtld_next_reaches_the_real_dlvsym_with_the_callers_return_address) {
    mt_dlvsym_real = (void *)fake_dlvsym;
    mt_dlvsym_lookup = fake_vlookup;
    real_calls = lookup_calls = 0;
    CHECK_TRUE(next_version_from_here() == (void *)0x2000);
    CHECK_EQ(real_calls, 1);
    CHECK_EQ(lookup_calls, 0);
    CHECK_STR_EQ(seen_version, "GLIBC_2.2.5");
    CHECK_TRUE(inside(seen_return, (void *)next_version_from_here, 64));
}

TEST(other_handles_go_to_the_lookup_with_their_arguments) {
    mt_dlsym_real = (void *)fake_dlsym;
    mt_dlsym_lookup = fake_lookup;
    mt_dlvsym_real = (void *)fake_dlvsym;
    mt_dlvsym_lookup = fake_vlookup;
    real_calls = lookup_calls = 0;
    void *libc = (void *)0x7777;
    CHECK_TRUE(hook_dlsym(RTLD_DEFAULT, "free") == (void *)0x3000);
    CHECK_TRUE(seen_handle == RTLD_DEFAULT);
    CHECK_STR_EQ(seen_name, "free");
    CHECK_TRUE(hook_dlsym(libc, "calloc") == (void *)0x3000);
    CHECK_TRUE(seen_handle == libc);
    CHECK_TRUE(hook_dlvsym(libc, "realloc", "GLIBC_2.2.5") == (void *)0x4000);
    CHECK_STR_EQ(seen_name, "realloc");
    CHECK_STR_EQ(seen_version, "GLIBC_2.2.5");
    CHECK_EQ(lookup_calls, 3);
    CHECK_EQ(real_calls, 0);
}

MT_TEST_MAIN(rtld_next_reaches_the_real_dlsym_with_the_callers_return_address,
             rtld_next_reaches_the_real_dlvsym_with_the_callers_return_address,
             other_handles_go_to_the_lookup_with_their_arguments)
