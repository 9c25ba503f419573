package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static dev.memtrack.internal.message.Sites.nativeFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Frame;
import org.junit.jupiter.api.Test;

class FrameFormatterTests {

    @Test
    void padsNativeFunctionsTo40Columns() {
        assertThat(FrameFormatter.format(allocator("malloc")))
                .isEqualTo("    malloc                                  libc.so.6");
        assertThat(FrameFormatter.format(nativeFrame("Java_com_sun_jna_Native_malloc", "libjnidispatch.so")))
                .isEqualTo("    Java_com_sun_jna_Native_malloc          libjnidispatch.so");
    }

    @Test
    void addsFileAndLineThreeSpacesAfterTheLibrary() {
        assertThat(FrameFormatter.format(nativeFrame("rocksdb::ColumnFamilyOptions::...", "librocksdbjni.so", "options.cc", 118)))
                .isEqualTo("    rocksdb::ColumnFamilyOptions::...       librocksdbjni.so   options.cc:118");
        assertThat(FrameFormatter.format(nativeFrame("f", "libx.so", "x.c", 0)))
                .isEqualTo("    f                                       libx.so   x.c");
    }

    @Test
    void keepsOneSpaceAfterLongFunctionNames() {
        String longName = "std::vector<rocksdb::ColumnFamilyDescriptor>::_M_realloc_insert";
        assertThat(FrameFormatter.format(nativeFrame(longName, "librocksdbjni.so")))
                .isEqualTo("    " + longName + " librocksdbjni.so");
    }

    @Test
    void printsUnknownFunctionsAsOffsets() {
        assertThat(FrameFormatter.format(nativeFrame("0x1f2e3", "libfoo.so")))
                .isEqualTo("    0x1f2e3                                 libfoo.so");
    }

    @Test
    void printsJavaFramesAsStackTraceElementDoes() {
        assertThat(FrameFormatter.format(java("com.sun.jna.Memory.<init>", "Memory.java", 112)))
                .isEqualTo("    com.sun.jna.Memory.<init>(Memory.java:112)");
        assertThat(FrameFormatter.format(java("com.sun.jna.Native.malloc", "", Frame.NATIVE_METHOD_LINE)))
                .isEqualTo("    com.sun.jna.Native.malloc(Native Method)");
        assertThat(FrameFormatter.format(java("a.b.C.m", "", 0)))
                .isEqualTo("    a.b.C.m(Unknown Source)");
        assertThat(FrameFormatter.format(java("a.b.C.m", "C.java", 0)))
                .isEqualTo("    a.b.C.m(C.java)");
    }
}
