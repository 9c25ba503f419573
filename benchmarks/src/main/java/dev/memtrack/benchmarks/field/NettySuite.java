package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memtrack.TrackMemory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Netty buffers as a network library's buffer tests use them: direct and heap, pooled and
 * unpooled buffers written, read and released, a fresh pooled allocator per test (created in
 * {@code @BeforeEach}, its arenas trimmed in {@code @AfterEach}).
 */
public abstract class NettySuite {

    static final int BUFFERS = 200;

    private PooledByteBufAllocator pooled;

    @BeforeEach
    void open() {
        pooled = new PooledByteBufAllocator(true);
    }

    @AfterEach
    void close() {
        pooled.trimCurrentThreadCache();
    }

    private static void writeRead(ByteBufAllocator allocator, boolean direct, int size) {
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuf buffer = direct ? allocator.directBuffer(size) : allocator.heapBuffer(size);
            try {
                for (int j = 0; j < size / 8; j++) {
                    buffer.writeLong(j * 31L + i);
                }
                long sum = 0;
                while (buffer.isReadable()) {
                    sum += buffer.readLong();
                }
                assertEquals(true, sum != 0);
            } finally {
                buffer.release();
            }
        }
    }

    @Test
    void pooledDirectSmall() {
        writeRead(pooled, true, 256);
    }

    @Test
    void pooledDirectLarge() {
        writeRead(pooled, true, 64 * 1024);
    }

    @Test
    void pooledHeap() {
        writeRead(pooled, false, 4096);
    }

    @Test
    void unpooledDirect() {
        writeRead(UnpooledByteBufAllocator.DEFAULT, true, 8192);
    }

    @Test
    void unpooledHeap() {
        writeRead(UnpooledByteBufAllocator.DEFAULT, false, 8192);
    }

    @Test
    void compositeBuffers() {
        for (int i = 0; i < BUFFERS / 4; i++) {
            CompositeByteBuf composite = pooled.compositeDirectBuffer();
            try {
                for (int j = 0; j < 8; j++) {
                    composite.addComponent(true, pooled.directBuffer(512).writeZero(512));
                }
                assertEquals(8 * 512, composite.readableBytes());
            } finally {
                composite.release();
            }
        }
    }

    @Test
    void sliceAndDuplicate() {
        ByteBuf buffer = pooled.directBuffer(16 * 1024).writeZero(16 * 1024);
        try {
            for (int i = 0; i < BUFFERS * 10; i++) {
                ByteBuf slice = buffer.retainedSlice(i % 1024, 1024);
                try {
                    assertEquals(1024, slice.readableBytes());
                } finally {
                    slice.release();
                }
            }
        } finally {
            buffer.release();
        }
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends NettySuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends NettySuite {
    }
}
