/*
 * mt_test.h — a tiny C test runner. ASSERT_* stop the current test, CHECK_* record a failure
 * and continue; both print the values and file:line. A test file defines its tests with
 * TEST(name) { ... } and ends with MT_TEST_MAIN(test_a, test_b, ...).
 */
#ifndef MT_TEST_H
#define MT_TEST_H
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static int mt_failures;
static int mt_current_failed;
static jmp_buf mt_abort;

#define MT_FAIL_(stop, fmt, ...)                                                        \
    do {                                                                                \
        fprintf(stderr, "  FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, __VA_ARGS__);    \
        mt_current_failed = 1;                                                          \
        if (stop) longjmp(mt_abort, 1);                                                 \
    } while (0)

#define MT_CMP_(stop, a, op, b)                                                         \
    do {                                                                                \
        long long mt_a_ = (long long)(a), mt_b_ = (long long)(b);                       \
        if (!(mt_a_ op mt_b_))                                                          \
            MT_FAIL_(stop, "%s %s %s (%lld vs %lld)", #a, #op, #b, mt_a_, mt_b_);       \
    } while (0)

#define ASSERT_TRUE(c) do { if (!(c)) MT_FAIL_(1, "%s", #c); } while (0)
#define CHECK_TRUE(c) do { if (!(c)) MT_FAIL_(0, "%s", #c); } while (0)
#define ASSERT_EQ(a, b) MT_CMP_(1, a, ==, b)
#define CHECK_EQ(a, b) MT_CMP_(0, a, ==, b)
#define ASSERT_NE(a, b) MT_CMP_(1, a, !=, b)
#define CHECK_NE(a, b) MT_CMP_(0, a, !=, b)
#define CHECK_LE(a, b) MT_CMP_(0, a, <=, b)
#define CHECK_GE(a, b) MT_CMP_(0, a, >=, b)
#define CHECK_STR_EQ(a, b)                                                              \
    do {                                                                                \
        const char *mt_sa_ = (a), *mt_sb_ = (b);                                        \
        if (strcmp(mt_sa_, mt_sb_) != 0) MT_FAIL_(0, "%s == %s (\"%s\" vs \"%s\")", #a, #b, mt_sa_, mt_sb_); \
    } while (0)

#define TEST(name) static void name(void)

typedef void (*mt_test_fn)(void);
static inline int mt_run(const char *names, mt_test_fn *tests, int n) {
    char buf[4096];
    strncpy(buf, names, sizeof buf - 1);
    buf[sizeof buf - 1] = 0;
    char *save = NULL;
    char *volatile name = strtok_r(buf, ", ", &save); /* volatile: lives across setjmp */
    for (volatile int i = 0; i < n; i++, name = strtok_r(NULL, ", ", &save)) {
        mt_current_failed = 0;
        if (setjmp(mt_abort) == 0) tests[i]();
        printf("%s %s\n", mt_current_failed ? "FAIL" : "ok  ", name ? name : "?");
        mt_failures += mt_current_failed;
    }
    printf("%d test(s), %d failed\n", n, mt_failures);
    return mt_failures ? 1 : 0;
}
#define MT_TEST_MAIN(...)                                                               \
    int main(void) {                                                                    \
        mt_test_fn tests[] = {__VA_ARGS__};                                             \
        return mt_run(#__VA_ARGS__, tests, (int)(sizeof tests / sizeof tests[0]));      \
    }
#endif
