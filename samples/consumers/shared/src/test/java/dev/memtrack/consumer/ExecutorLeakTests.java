package dev.memtrack.consumer;

import static dev.memtrack.MemoryAssertions.assertAllocations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.jna.Memory;
import dev.memtrack.TrackMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * memtrack working inside a project that chose its own JUnit and helper versions: a real native
 * leak made by an executor task is caught and charged to the block that submitted the task (executor
 * attribution is ByteBuddy advice: it breaks when memtrack runs on a ByteBuddy it was not built
 * with), and memory the task lets go of is not a leak.
 */
@TrackMemory
class ExecutorLeakTests {

    /** A distinctive size, so the site in the message is surely this one. */
    private static final int LEAKED_BYTES = 1_234_567;
    private static final int DROPPED_BYTES = 765_432;

    /** What the leaking task keeps alive: a static, as a cache that is never emptied would. */
    private static final List<Memory> KEPT = new ArrayList<>();

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() throws Exception {
        pool = Executors.newSingleThreadExecutor();
        // the worker exists before any scope begins: only task attribution can charge its work
        pool.submit(() -> { }).get();
    }

    @AfterAll
    static void stopPool() {
        pool.shutdownNow();
        KEPT.clear();
    }

    @Test
    void nativeLeakOfAnExecutorTaskIsCaughtAndAttributed() {
        AssertionError failure = assertThrows(AssertionError.class, () ->
                assertAllocations(() -> pool.submit(ExecutorLeakTests::keepNativeMemory).get())
                        .nativeMemory().hasNoLeaks());

        assertThat(failure.getMessage())
                .startsWith("Block leaked 1.2 MiB of native memory in 1 allocation (allowed: 0 B)")
                .contains("com.sun.jna.Memory.<init>")
                .contains("dev.memtrack.consumer.ExecutorLeakTests.keepNativeMemory");
    }

    @Test
    void directBufferTheTaskDropsIsNotALeak() throws Throwable {
        assertAllocations(() -> pool.submit(() -> ByteBuffer.allocateDirect(DROPPED_BYTES).put(0, (byte) 1)).get())
                .nativeMemory().hasNoLeaks()
                .hasAllocatedBelow(DROPPED_BYTES + 64 * 1024);
    }

    private static void keepNativeMemory() {
        Memory memory = new Memory(LEAKED_BYTES);
        memory.setByte(0, (byte) 1);
        KEPT.add(memory);
    }
}
