package dev.memtrack.samples;

import static dev.memtrack.MemoryAssertions.assertAllocations;
import static dev.memtrack.MemoryAssertions.assertNoLeaks;

import dev.memtrack.TrackMemory;
import org.junit.jupiter.api.Test;

/** JDK native code (libzip/zlib) kept alive from a static collection. */
@TrackMemory
class DeflaterPoolTest {

    private static final byte[] PAGE = new byte[64 * 1024];

    @Test
    void registryKeepsDeflatersAlive() {
        for (int i = 0; i < 4; i++) {
            DeflaterPool.deflateTracked(PAGE);
        }
        assertNoLeaks();
    }

    @Test
    void endedDeflatersStayWithinBudget() {
        assertAllocations(() -> DeflaterPool.deflate(PAGE))
                .nativeMemory()
                .hasNoLeaks()
                .hasPeakBelow("1MB");
    }
}
