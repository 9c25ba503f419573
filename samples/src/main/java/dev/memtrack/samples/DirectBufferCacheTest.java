package dev.memtrack.samples;

import static dev.memtrack.MemoryAssertions.assertNoLeaks;
import static dev.memtrack.MemoryAssertions.assertPeakBelow;

import dev.memtrack.TrackMemory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Direct buffers: a peak budget, and a buffer dropped after use that GC and its cleaner free. */
@TrackMemory
class DirectBufferCacheTest {

    @Test
    void batchesStayUnderTheirPeakBudget() {
        List<ByteBuffer> batch = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            batch.add(ByteBuffer.allocateDirect(2 * 1024 * 1024));
        }
        batch.clear();
        assertPeakBelow("8MB");
    }

    @Test
    void droppedBufferIsNotALeak() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(1_000_003);
        scratch.putInt(42);
        scratch = null;
        assertNoLeaks();
    }
}
