package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import dev.memtrack.TrackMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * zstd-jni as its own tests use it: a compression and a decompression context per test opened in
 * {@code @BeforeEach} and closed in {@code @AfterEach}, 64 KiB round trips at several levels,
 * and the one-shot static API.
 */
public abstract class ZstdSuite {

    static final int ROUND_TRIPS = 20;

    private ZstdCompressCtx compress;
    private ZstdDecompressCtx decompress;

    @BeforeEach
    void open() {
        compress = new ZstdCompressCtx();
        decompress = new ZstdDecompressCtx();
    }

    @AfterEach
    void close() {
        compress.close();
        decompress.close();
    }

    private void roundTrips(int level, int seed) {
        compress.setLevel(level);
        for (int r = 0; r < ROUND_TRIPS; r++) {
            byte[] input = ZipSuite.data(seed + r);
            byte[] compressed = compress.compress(input);
            byte[] restored = decompress.decompress(compressed, input.length);
            assertArrayEquals(input, restored);
        }
    }

    @Test
    void level1() {
        roundTrips(1, 11);
    }

    @Test
    void level3() {
        roundTrips(3, 12);
    }

    @Test
    void level9() {
        roundTrips(9, 13);
    }

    @Test
    void level19() {
        roundTrips(19, 14);
    }

    @Test
    void negativeLevel() {
        roundTrips(-5, 15);
    }

    @Test
    void staticApi() {
        for (int r = 0; r < ROUND_TRIPS; r++) {
            byte[] input = ZipSuite.data(200 + r);
            byte[] compressed = Zstd.compress(input, 3);
            assertArrayEquals(input, Zstd.decompress(compressed, input.length));
        }
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends ZstdSuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends ZstdSuite {
    }
}
