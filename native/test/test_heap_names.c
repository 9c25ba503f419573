/*
 * Unit tests for the one decoder of JVM class signatures (heap_names_from_signature), used for
 * stack frames (jvm_bridge.c) and "retained by" paths (heap_walker.c): a class prints the same
 * in both.
 */
#include "heap_names.h"
#include "mt_test.h"

static const char *decoded(const char *sig) {
    static char out[512];
    heap_names_from_signature(sig, out, sizeof out);
    return out;
}

TEST(plain_and_nested_classes) {
    CHECK_STR_EQ(decoded("Ljava/util/HashMap;"), "java.util.HashMap");
    CHECK_STR_EQ(decoded("Ljava/util/HashMap$Node;"), "java.util.HashMap$Node");
    CHECK_STR_EQ(decoded("LTopLevel;"), "TopLevel");
}

TEST(a_hidden_class_prints_as_class_get_name) {
    /* JVMTI signature of a lambda's hidden class: '.' before the suffix; Class.getName(): '/'. */
    CHECK_STR_EQ(decoded("Ldev/memtrack/benchmarks/Bench$$Lambda$47.0x00007f854c011908;"),
                 "dev.memtrack.benchmarks.Bench$$Lambda$47/0x00007f854c011908");
    CHECK_STR_EQ(decoded("[Lcom/a/B$$Lambda$3.0x0123;"), "com.a.B$$Lambda$3/0x0123[]");
}

TEST(arrays_and_primitives) {
    CHECK_STR_EQ(decoded("[[B"), "byte[][]");
    CHECK_STR_EQ(decoded("[J"), "long[]");
    CHECK_STR_EQ(decoded("[Ljava/lang/String;"), "java.lang.String[]");
    CHECK_STR_EQ(decoded("Z"), "boolean");
}

TEST(a_short_buffer_is_cut_not_overrun) {
    char out[8];
    memset(out, 'x', sizeof out);
    heap_names_from_signature("Ljava/util/HashMap;", out, 6);
    CHECK_STR_EQ(out, "java.");
    CHECK_EQ(out[6], 'x');
}

MT_TEST_MAIN(plain_and_nested_classes, a_hidden_class_prints_as_class_get_name, arrays_and_primitives,
             a_short_buffer_is_cut_not_overrun)
