package dev.memtrack.samples;

import com.github.luben.zstd.ZstdCompressCtx;

/**
 * "Production" code of the first sample: a compressor on zstd-jni. {@link #compressLeaky} makes
 * a fresh native compression context per call and never closes it — zstd-jni registers no
 * cleaner, so the context's native memory stays allocated forever, even after GC.
 */
public final class ZstdCompressor {

    private final int level;

    public ZstdCompressor(int level) {
        this.level = level;
    }

    public byte[] compressLeaky(byte[] input) {
        ZstdCompressCtx ctx = new ZstdCompressCtx().setLevel(level);
        return ctx.compress(input);
    }

    public byte[] compress(byte[] input) {
        try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
            return ctx.setLevel(level).compress(input);
        }
    }
}
