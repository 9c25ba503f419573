package dev.memtrack.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.memtrack.internal.agent.NativeTracker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Settling with the real agent: whatever frees a collection's garbage — the Reference Handler
 * (a direct buffer), the JDK's common cleaner (a Deflater), a library's own cleaner thread (JNA's
 * Memory), the finalizer (an object whose finalize() drops a Memory: two collections) — the
 * scope's memory is freed when settling ends, however quickly it ends.
 */
class SettlingWithTheJvmTests {

    private final NativeTracker tracker = NativeTracker.instance();
    /** Allocates in a scope of its own whatever {@code garbage} makes and drops, then settles it. */
    private long liveAfterSettling(Supplier<Object> garbage) {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        assertThat(tracker.referencesQuiet()).as("the agent can tell").isNotNegative();
        long scope = tracker.beginScope();
        try {
            Object made = garbage.get();
            assertThat(made).isNotNull();
            made = null; // unreachable from here on
            tracker.endScope(scope);
            // (a collection of its own may already have freed it: what counts is that it was seen)
            assertThat(tracker.figures(scope).allocatedBytes()).as("allocated in the scope").isPositive();
            return new GcSettler(Duration.ofSeconds(10), tracker::forceGc).settle(tracker, scope).liveBytes();
        } finally {
            tracker.endScope(scope);
            tracker.releaseScope(scope);
        }
    }

    @RepeatedTest(10)
    void aDirectBufferFreedByTheReferenceHandler() {
        assertThat(liveAfterSettling(() -> ByteBuffer.allocateDirect(777_001))).isZero();
    }

    @RepeatedTest(10)
    void aDeflaterFreedByTheCommonCleaner() {
        assertThat(liveAfterSettling(() -> {
            Deflater deflater = new Deflater(9); // never ended: its cleaner frees zlib's state
            deflater.setInput(new byte[4096]);
            deflater.finish();
            deflater.deflate(new byte[8192]);
            return deflater;
        })).isZero();
    }

    @RepeatedTest(10)
    void jnaMemoryFreedByJnasOwnCleanerThread() {
        assertThat(liveAfterSettling(() -> new Memory(333_331))).isZero();
    }

    @RepeatedTest(10)
    void aFinalizerThatDropsMemoryWithACleanerIsFollowedByAnotherCollection() {
        assertThat(liveAfterSettling(() -> new Finalizable(new Memory(222_221)))).isZero();
    }

    /** Frees nothing itself: its Memory is unreachable only once it is finalized. */
    static final class Finalizable {
        private final Memory memory;

        Finalizable(Memory memory) {
            this.memory = memory;
        }

        @Override
        @SuppressWarnings({"deprecation", "removal"})
        protected void finalize() {
            // nothing: the object is kept for one more collection only because it has finalize()
            if (memory.size() < 0) {
                throw new IllegalStateException();
            }
        }
    }
}
