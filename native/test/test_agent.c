/*
 * The built agent, end to end, without a JVM: loads libmemtrack.so as the JVM would (dlopen),
 * installs its hooks and records what a JNI-like library allocates through its import slots,
 * with the real hooks, unwinder and symbolizer. Above all for aarch64 under emulation, where no
 * JVM runs: the hook's start frame, the page rounding of munmap with the system's page size.
 * Loads libgot_target.so (test_got_patcher's fixture) from this binary's directory and the agent
 * from AGENT_PATH (the Makefile's build directory). Runs without ASan and valgrind, whose
 * allocators the patched slots would bypass (like test_got_patcher).
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "memtrack.h"
#include "mt_test.h"

static struct {
    const char *(*init)(int);
    int64_t (*begin)(void);
    void (*end)(int64_t);
    void (*release)(int64_t);
    int (*figures)(int64_t, int64_t *);
    char *(*report)(int64_t);
    void (*free_report)(char *);
} agent;

static struct {
    void *(*malloc_)(size_t);
    void (*free_)(void *);
    void *(*mmap_)(size_t);
    int (*munmap_)(void *, size_t);
} target;

static void *must(void *handle, const char *name) {
    void *f = dlsym(handle, name);
    if (!f) fprintf(stderr, "  no %s: %s\n", name, dlerror());
    return f;
}

static int load(void) {
    static int loaded;
    if (loaded) return loaded > 0;
    loaded = -1;
    void *lib = dlopen(AGENT_PATH, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "  cannot load %s: %s\n", AGENT_PATH, dlerror());
        return 0;
    }
    char dir[PATH_MAX], path[PATH_MAX + 32];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0) return 0;
    dir[n] = 0;
    *strrchr(dir, '/') = 0;
    snprintf(path, sizeof path, "%s/libgot_target.so", dir);
    void *t = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!t) {
        fprintf(stderr, "  cannot load %s: %s\n", path, dlerror());
        return 0;
    }
    agent.init = must(lib, "memtrack_init");
    agent.begin = must(lib, "memtrack_scope_begin");
    agent.end = must(lib, "memtrack_scope_end");
    agent.release = must(lib, "memtrack_scope_release");
    agent.figures = must(lib, "memtrack_scope_figures");
    agent.report = must(lib, "memtrack_scope_report");
    agent.free_report = must(lib, "memtrack_free");
    target.malloc_ = must(t, "got_target_malloc");
    target.free_ = must(t, "got_target_free");
    target.mmap_ = must(t, "got_target_mmap");
    target.munmap_ = must(t, "got_target_munmap");
    if (!agent.init || !agent.begin || !agent.end || !agent.release || !agent.figures || !agent.report ||
        !agent.free_report || !target.malloc_ || !target.free_ || !target.mmap_ || !target.munmap_)
        return 0;
    const char *err = agent.init(0);
    if (err) {
        fprintf(stderr, "  memtrack_init: %s\n", err);
        return 0;
    }
    loaded = 1;
    return 1;
}

static __attribute__((noinline, noclone)) void *allocate_in_library(size_t n) {
    void *p = target.malloc_(n);
    __asm__ volatile("" ::: "memory"); /* no tail call: this frame stays on the stack */
    return p;
}

TEST(a_library_malloc_is_recorded_with_its_callers) {
    ASSERT_TRUE(load());
    int64_t scope = agent.begin();
    ASSERT_TRUE(scope > 0);
    void *kept = allocate_in_library(777001);
    void *freed = allocate_in_library(777001);
    target.free_(freed);
    agent.end(scope);
    int64_t f[MEMTRACK_FIGURES_LEN];
    ASSERT_EQ(agent.figures(scope, f), 0);
    CHECK_EQ(f[MEMTRACK_FIG_ALLOCATED_BYTES], 2 * 777001);
    CHECK_EQ(f[MEMTRACK_FIG_ALLOCATED_COUNT], 2);
    CHECK_EQ(f[MEMTRACK_FIG_LIVE_BYTES], 777001);
    CHECK_EQ(f[MEMTRACK_FIG_PEAK_BYTES], 2 * 777001);
    char *text = agent.report(scope);
    ASSERT_TRUE(text != NULL);
    /* a site per call line: the allocator, then the frames from the hook's caller down (the unwind
     * started there, not inside the agent, and went on past it). got_target_malloc tail-calls
     * malloc, so its caller is the first frame. */
    const char *first = "frame\tA\tmalloc\tlibc.so.6\t\t0\nframe\tN\tallocate_in_library\ttest_agent\ttest_agent.c\t";
    char kept_site[256], freed_site[256];
    snprintf(kept_site, sizeof kept_site, "site\tjni\t777001\t1\t777001\t1\t777001\t1\n%s", first);
    snprintf(freed_site, sizeof freed_site, "site\tjni\t777001\t1\t0\t0\t777001\t1\n%s", first);
    CHECK_TRUE(strstr(text, kept_site) != NULL);
    CHECK_TRUE(strstr(text, freed_site) != NULL);
    CHECK_TRUE(strstr(text, "\nframe\tN\ta_library_malloc_is_recorded_with_its_callers\ttest_agent\ttest_agent.c\t") !=
               NULL);
    CHECK_TRUE(strstr(text, "\nframe\tN\tmain\ttest_agent\t") != NULL);
    CHECK_TRUE(strstr(text, "memtrack_") == NULL); /* no frame of the agent itself */
    if (mt_current_failed || getenv("MT_SHOW")) fprintf(stderr, "%s", text);
    agent.free_report(text);
    target.free_(kept);
    ASSERT_EQ(agent.figures(scope, f), 0);
    CHECK_EQ(f[MEMTRACK_FIG_LIVE_BYTES], 0); /* a free after the scope ended still counts */
    agent.release(scope);
}

/* munmap cuts whole pages of the system's size: 4 KiB, or 64 KiB (aarch64 kernels, and qemu with
 * QEMU_PAGESIZE=65536). A mapping of 5 pages less 100 bytes, its second page unmapped, then the
 * rest with a length that is not a page multiple. */
TEST(partial_munmaps_through_the_hooks_count_whole_system_pages) {
    ASSERT_TRUE(load());
    size_t page = (size_t)sysconf(_SC_PAGESIZE), len = 5 * page - 100;
    int64_t scope = agent.begin();
    ASSERT_TRUE(scope > 0);
    char *m = target.mmap_(len);
    ASSERT_TRUE(m != NULL && m != (char *)-1);
    ASSERT_EQ(target.munmap_(m + page, page), 0);
    int64_t f[MEMTRACK_FIGURES_LEN];
    ASSERT_EQ(agent.figures(scope, f), 0);
    CHECK_EQ(f[MEMTRACK_FIG_ALLOCATED_BYTES], len);
    CHECK_EQ(f[MEMTRACK_FIG_FREED_BYTES], page);
    CHECK_EQ(f[MEMTRACK_FIG_LIVE_BYTES], len - page);
    ASSERT_EQ(target.munmap_(m, page), 0);
    ASSERT_EQ(target.munmap_(m + 2 * page, 3 * page - 100), 0);
    agent.end(scope);
    ASSERT_EQ(agent.figures(scope, f), 0);
    CHECK_EQ(f[MEMTRACK_FIG_LIVE_BYTES], 0);
    CHECK_EQ(f[MEMTRACK_FIG_LIVE_COUNT], 0);
    CHECK_EQ(f[MEMTRACK_FIG_FREED_COUNT], 1);
    agent.release(scope);
}

MT_TEST_MAIN(a_library_malloc_is_recorded_with_its_callers, partial_munmaps_through_the_hooks_count_whole_system_pages)
