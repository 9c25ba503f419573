package dev.memtrack.samples;

import static dev.memtrack.MemoryAssertions.assertNoLeaks;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memtrack.TrackMemory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A JNI library (zstd-jni) that keeps native memory alive when a context is not closed. */
@TrackMemory
class ZstdCompressorTest {

    private static final byte[] INPUT = "memtrack ".repeat(20_000).getBytes(StandardCharsets.UTF_8);

    @Test
    void leaksContextsItNeverCloses() {
        ZstdCompressor compressor = new ZstdCompressor(3);
        byte[] packed = compressor.compressLeaky(INPUT);
        assertTrue(packed.length < INPUT.length);
        assertNoLeaks();
    }

    @Test
    void closesItsContexts() {
        ZstdCompressor compressor = new ZstdCompressor(3);
        byte[] packed = compressor.compress(INPUT);
        assertTrue(packed.length < INPUT.length);
        assertNoLeaks();
    }
}
