package dev.memtrack.internal.message;

import static dev.memtrack.internal.message.Sites.allocator;
import static dev.memtrack.internal.message.Sites.java;
import static dev.memtrack.internal.message.Sites.nativeFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Measurement;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShouldHaveAllocatedBelowTests {

    @Test
    void ranksSitesByAllocatedBytes() {
        String test = "com.acme.CodecTest";
        Site frames = Sites.site(Domain.NATIVE, 3L << 20, 12, 0, 0, 1L << 20, 4, Sites.concat(List.of(
                allocator("malloc"),
                nativeFrame("ZSTD_createCCtx", "libzstd-jni.so", "zstd_compress.c", 92),
                java("com.github.luben.zstd.ZstdCompressCtx.init", "", -2),
                java(test + ".lambda$encodes$0", "CodecTest.java", 19),
                java("dev.memtrack.MemoryAssertions.assertAllocations", "MemoryAssertions.java", 80),
                java(test + ".encodes", "CodecTest.java", 19)), Sites.JUNIT_FRAMES));
        Site header = Sites.site(Domain.NATIVE, 64, 1, 0, 0, 64, 1, List.of(allocator("malloc")));
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(header, frames));
        MessageContext context = new MessageContext(5, "target/memtrack/com.acme.CodecTest/encodes.html", new StackTrimmer(Set.of(test)));

        VerdictMessage message = ShouldHaveAllocatedBelow.shouldHaveAllocatedBelow(Subject.BLOCK, measurement,
                DomainSelection.NATIVE, 1L << 20, context);

        assertThat(message.text()).isEqualTo("""
                Block allocated 3.0 MiB of native memory in 13 allocations (allowed: below 1.0 MiB)

                  3.0 MiB in 12 allocations allocated at:
                    malloc                                  libc.so.6
                    ZSTD_createCCtx                         libzstd-jni.so   zstd_compress.c:92
                    com.github.luben.zstd.ZstdCompressCtx.init(Native Method)
                    com.acme.CodecTest.lambda$encodes$0(CodecTest.java:19)
                    dev.memtrack.MemoryAssertions.assertAllocations(MemoryAssertions.java:80)
                    com.acme.CodecTest.encodes(CodecTest.java:19)

                  64 B in 1 allocation allocated at:
                    malloc                                  libc.so.6

                  Report: target/memtrack/com.acme.CodecTest/encodes.html""");
        assertThat(message.expected()).isEqualTo("1.0 MiB");
        assertThat(message.actual()).isEqualTo("3.0 MiB");
    }

    @Test
    void writesTheSingularForOneAllocation() {
        Measurement measurement = Measurement.ofNative(Sites.nativeReport(Sites.site(Domain.NATIVE, 2048, 1, 0, 0, 2048, 1, List.of())));

        String text = ShouldHaveAllocatedBelow.shouldHaveAllocatedBelow(Subject.TEST, measurement, DomainSelection.ANY, 0,
                new MessageContext(5, "r.html", StackTrimmer.none())).text();

        assertThat(text).startsWith("Test allocated 2.0 KiB of native memory in 1 allocation (allowed: below 0 B)\n");
    }
}
