package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.tracking.BlockTracking;
import dev.memtrack.internal.tracking.RunningTestChecks;
import org.apiguardian.api.API;

/**
 * Memory assertions. {@link #assertNoLeaks()} and {@link #assertPeakBelow(String)} judge the
 * running test, so they need {@link TrackMemory @TrackMemory} on the test class or method and must
 * be called from the test method's thread; {@link #assertAllocations(ThrowingBlock)} measures its
 * own block anywhere.
 *
 * <p>These assertions cover native memory and the managed heap together. Managed figures other
 * than allocated bytes are estimates from heap samples (docs/managed-heap.md); their failure
 * messages say "about".
 *
 * <p>Where native tracking is unavailable (not Linux with glibc, agent not loadable) every native
 * figure is zero, so these assertions pass; the test's report entry {@code memtrack.unavailable}
 * says why. Where the heap cannot be sampled (another JVMTI agent holds heap sampling) memtrack
 * says so once in the log and in the report entry {@code memtrack.managed.unavailable}, and
 * judges exact managed allocated bytes and native memory only.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MemoryAssertions {

    private MemoryAssertions() {
    }

    /**
     * Nothing allocated since the test method began is leaked, once GC and cleaners have settled
     * (bounded by {@code memtrack.settle.timeout}): no native memory is still live and no heap
     * object is still reachable from GC roots other than the test. Native memory the test still
     * holds counts as live: release it before calling this. Heap objects held only by the test
     * method's own locals or by the test instance are not leaks; objects held by static fields,
     * threads or JNI globals are, and the message shows the reference path that holds them.
     * One-time initialisation (a class initialiser, a JDK cache) is not a leak.
     *
     * <p>It judges what has leaked <em>so far</em>, at the point of the call: the test's
     * {@code @AfterEach} methods and extension teardown have not run yet, so a resource that
     * teardown would close counts here. The verdict of {@code @TrackMemory}'s leak limits and of
     * {@code memtrack.default.leakLimit} comes after the teardown (docs/configuration.md).
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

    /**
     * Repeat mode: tells a cache from a leak by running the code several times. Runs
     * {@code block} once as a warm-up <em>outside</em> the measured scope (caches fill, classes
     * initialise, lambdas link), then {@code repetitions} times inside it, and returns an assert
     * on those repetitions. Its {@link AbstractAllocationsAssert#hasNoLeaks() hasNoLeaks()} is
     * strict: everything the repetitions left reachable counts, one-time initialisation included,
     * because the warm-up already did that once — so a cache filled on first use passes and a
     * registry that grows on every call fails:
     * <pre>{@code
     * assertAllocations(5, () -> service.handle(request)).hasNoLeaks();
     * }</pre>
     * Managed leaks are found with probability 1 - e^(-L/interval) for L leaked bytes in total
     * (docs/managed-heap.md): more repetitions make a small per-call leak easier to find.
     * Allocated and peak figures cover the repetitions (not the warm-up). When the block throws
     * (in the warm-up or a repetition), its exception is rethrown as is.
     *
     * @param repetitions how many times the block runs inside the scope; 1 or more
     * @param block       the code to measure
     * @throws IllegalArgumentException when {@code repetitions} is less than 1
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public static AllocationsAssert assertAllocations(int repetitions, ThrowingBlock block) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("assertAllocations(repetitions = " + repetitions + ", block): repetitions must be"
                    + " 1 or more (the block runs once as a warm-up outside the measured scope, then this many times inside it)");
        }
        BlockTracking.BlockMeasurement measured = BlockTracking.measureRepeated(block, repetitions);
        return new AllocationsAssert(new AllocationsResult(measured.measurement(), measured.context()));
    }
}
