/* Unit tests for library_name: the random part loaders give extracted libraries is removed, the
 * rest of the name (versions, architectures, words) stays. */
#include <string.h>

#include "library_name.h"
#include "mt_test.h"

static const char *stable(const char *name) {
    static char out[256];
    library_stable_name(name, out, sizeof out);
    return out;
}

TEST(random_digits_hex_ids_and_uuids_are_removed) {
    CHECK_STR_EQ(stable("libzstd-jni-1.5.7-68519131125055098114.so"), "libzstd-jni-1.5.7.so");
    CHECK_STR_EQ(stable("libzstd-jni-1.5.7-12345678901234567890.so"), "libzstd-jni-1.5.7.so");
    CHECK_STR_EQ(stable("sqlite-3.46.1-4331aed4-b4c3-4b5e-9a2d-0123456789ab-libsqlitejdbc.so"),
                 "sqlite-3.46.1-libsqlitejdbc.so");
    CHECK_STR_EQ(stable("4331aed4-b4c3-4b5e-9a2d-0123456789ab-libsqlitejdbc.so"), "libsqlitejdbc.so");
    CHECK_STR_EQ(stable("jna1234567890123.tmp"), "jna.tmp");
    CHECK_STR_EQ(stable("libfoo-deadbeef12.so"), "libfoo.so");
}

TEST(ordinary_names_are_left_alone) {
    const char *names[] = {"libc.so.6", "libjvm.so", "libstdc++.so.6", "ld-linux-x86-64.so.2", "libcafe.so",
                           "libabc-1.2.so", "libnetty_tcnative_linux_x86_64.so", "libmtfixture.so", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) CHECK_STR_EQ(stable(names[i]), names[i]);
}

TEST(output_is_truncated_to_its_size) {
    char out[8];
    CHECK_EQ(library_stable_name("libzstd-jni-1.5.7-68519131125055098114.so", out, sizeof out), 7);
    CHECK_STR_EQ(out, "libzstd");
}

MT_TEST_MAIN(random_digits_hex_ids_and_uuids_are_removed, ordinary_names_are_left_alone, output_is_truncated_to_its_size)
