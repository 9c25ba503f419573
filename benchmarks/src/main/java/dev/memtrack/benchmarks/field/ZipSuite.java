package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.memtrack.TrackMemory;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code java.util.zip} as a compression library's tests use it: a {@link Deflater} and an
 * {@link Inflater} per test (zlib's native streams) opened in {@code @BeforeEach} and ended in
 * {@code @AfterEach}, 64 KiB round trips at several levels.
 */
public abstract class ZipSuite {

    static final int SIZE = 64 * 1024;
    static final int ROUND_TRIPS = 20;

    private Deflater deflater;
    private Inflater inflater;

    @BeforeEach
    void open() {
        deflater = new Deflater();
        inflater = new Inflater();
    }

    @AfterEach
    void close() {
        deflater.end();
        inflater.end();
    }

    static byte[] data(int seed) {
        byte[] data = new byte[SIZE];
        int x = 0x9E3779B9 ^ seed;
        for (int i = 0; i < data.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            // text-like: a small alphabet with runs, compresses about 3:1
            data[i] = (byte) ('a' + ((x >>> 28) & 7) + ((i >> 6) & 3));
        }
        return data;
    }

    private void roundTrips(int level, int seed) throws DataFormatException {
        deflater.setLevel(level);
        byte[] compressed = new byte[SIZE + 1024];
        byte[] restored = new byte[SIZE];
        for (int r = 0; r < ROUND_TRIPS; r++) {
            byte[] input = data(seed + r);
            deflater.reset();
            deflater.setInput(input);
            deflater.finish();
            int length = 0;
            while (!deflater.finished()) {
                length += deflater.deflate(compressed, length, compressed.length - length);
            }
            inflater.reset();
            inflater.setInput(compressed, 0, length);
            int n = 0;
            while (!inflater.finished()) {
                n += inflater.inflate(restored, n, restored.length - n);
            }
            assertArrayEquals(input, n == SIZE ? restored : new byte[0]);
        }
    }

    @Test
    void defaultLevel() throws DataFormatException {
        roundTrips(Deflater.DEFAULT_COMPRESSION, 1);
    }

    @Test
    void bestSpeed() throws DataFormatException {
        roundTrips(Deflater.BEST_SPEED, 2);
    }

    @Test
    void bestCompression() throws DataFormatException {
        roundTrips(Deflater.BEST_COMPRESSION, 3);
    }

    @Test
    void level3() throws DataFormatException {
        roundTrips(3, 4);
    }

    @Test
    void level5() throws DataFormatException {
        roundTrips(5, 5);
    }

    @Test
    void level7() throws DataFormatException {
        roundTrips(7, 6);
    }

    @Test
    void freshStreamsPerRoundTrip() throws DataFormatException {
        for (int r = 0; r < ROUND_TRIPS / 2; r++) {
            Deflater d = new Deflater();
            Inflater i = new Inflater();
            try {
                byte[] input = data(100 + r);
                byte[] compressed = new byte[SIZE + 1024];
                d.setInput(input);
                d.finish();
                int length = d.deflate(compressed);
                i.setInput(compressed, 0, length);
                byte[] restored = new byte[SIZE];
                i.inflate(restored);
                assertArrayEquals(input, restored);
            } finally {
                d.end();
                i.end();
            }
        }
    }

    @Test
    void defaultLevelAgain() throws DataFormatException {
        roundTrips(Deflater.DEFAULT_COMPRESSION, 8);
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends ZipSuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends ZipSuite {
    }
}
