package dev.memtrack.samples;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.Deflater;

/**
 * "Production" code of the second sample: a pool of java.util.zip Deflaters. Each Deflater
 * holds about 270 KiB of zlib state in native memory until end() is called; the buggy pool
 * parks every Deflater it ever made in a static registry "for statistics", so their cleaners
 * never run.
 */
public final class DeflaterPool {

    private static final Deque<Deflater> EVERY_DEFLATER_EVER = new ArrayDeque<>();

    public static byte[] deflateTracked(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        EVERY_DEFLATER_EVER.add(deflater);
        return run(deflater, input);
    }

    public static byte[] deflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            return run(deflater, input);
        } finally {
            deflater.end();
        }
    }

    private static byte[] run(Deflater deflater, byte[] input) {
        deflater.setInput(input);
        deflater.finish();
        byte[] out = new byte[input.length + 64];
        int n = deflater.deflate(out);
        return java.util.Arrays.copyOf(out, n);
    }

    /** For the sample runner: lets the leaked Deflaters go at the end. */
    public static void clear() {
        EVERY_DEFLATER_EVER.forEach(Deflater::end);
        EVERY_DEFLATER_EVER.clear();
    }
}
