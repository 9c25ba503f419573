package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.extension.BlockTracking;
import dev.memtrack.internal.extension.RunningTestChecks;
import dev.memtrack.internal.size.SizeParser;
import org.apiguardian.api.API;

/**
 * Memory assertions. {@link #assertNoLeaks()} and {@link #assertPeakBelow(String)} judge the
 * running test, so they need {@link TrackMemory @TrackMemory} on the test class or method and must
 * be called from the test method's thread; {@link #assertAllocations(ThrowingBlock)} measures its
 * own block anywhere.
 *
 * <p>Where native tracking is unavailable (not Linux with glibc, agent not loadable) every native
 * figure is zero, so these assertions pass; the test's report entry {@code memtrack.unavailable}
 * says why.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MemoryAssertions {

    private MemoryAssertions() {
    }

    /**
     * Nothing allocated since the test method began is still live, once GC and cleaners have
     * settled (bounded by {@code memtrack.settle.timeout}). Memory the test still holds in locals
     * or fields counts as live: release it before calling this.
     */
    public static void assertNoLeaks() {
        RunningTestChecks.assertNoLeaks();
    }

    /** The test's peak of live memory so far (native and managed combined) is below {@code size}, e.g. {@code "10MB"}. */
    public static void assertPeakBelow(String size) {
        long bytes;
        try {
            bytes = SizeParser.parse(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("assertPeakBelow(\"" + size + "\"): " + e.getMessage(), e);
        }
        RunningTestChecks.assertPeakBelow(bytes);
    }

    /** The test's peak of live memory so far (native and managed combined) is below {@code bytes}. */
    public static void assertPeakBelow(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("assertPeakBelow(" + bytes + "): a size must be 0 or more");
        }
        RunningTestChecks.assertPeakBelow(bytes);
    }

    /**
     * Runs {@code block} in a scope of its own (nested in the test's scope when there is one),
     * waits for GC and cleaners to settle, and returns an assert on what it allocated:
     * <pre>{@code
     * assertAllocations(() -> codec.encode(frame))
     *     .nativeMemory().hasAllocatedBelow("64KB")
     *     .hasNoLeaks();
     * }</pre>
     * When the block throws, the scope is ended and the block's exception (checked or not) is
     * rethrown as is.
     */
    public static AllocationsAssert assertAllocations(ThrowingBlock block) {
        BlockTracking.BlockMeasurement measured = BlockTracking.measure(block);
        return new AllocationsAssert(new AllocationsResult(measured.measurement(), measured.context()));
    }
}
