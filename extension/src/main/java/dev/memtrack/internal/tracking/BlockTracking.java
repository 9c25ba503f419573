package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.ThrowingBlock;
import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.verdict.Measurement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code MemoryAssertions.assertAllocations(block)}: runs the block in a scope of its own (both
 * domains: native scope, managed meter on this thread), nested in the running test's scope when
 * there is one (its allocations count for the test too), settles, checks managed leaks (the
 * running test's instance and this thread's stack are not leak roots) and reads the scope. Works
 * without {@code @TrackMemory}; then the defaults apply and messages name no report.
 *
 * <p>Repeat mode ({@link #measureRepeated}): the block runs once before the scope begins, so
 * caches and one-time initialisation fill there, then {@code repetitions} times inside it; the
 * leak check is strict (everything still reachable from the repetitions counts), so what it finds
 * is growth per repetition.
 */
@API(status = INTERNAL, since = "0.1")
public final class BlockTracking {

    /** What the block's assert judges: the measurement and how to word its failures. */
    public record BlockMeasurement(Measurement measurement, MessageContext context) {
    }

    /** Without a tracked test, the class that called this is taken as the test class for trimming stacks. */
    private static final String ENTRY_POINT = "dev.memtrack.MemoryAssertions";

    private BlockTracking() {
    }

    public static BlockMeasurement measure(ThrowingBlock block) {
        return measure(block, 1, false);
    }

    /**
     * Repeat mode: one warm-up run outside the scope, then {@code repetitions} runs inside it,
     * judged with the strict leak check.
     */
    public static BlockMeasurement measureRepeated(ThrowingBlock block, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be 1 or more, not " + repetitions);
        }
        return measure(block, repetitions, true);
    }

    private static BlockMeasurement measure(ThrowingBlock block, int repetitions, boolean repeatMode) {
        Objects.requireNonNull(block, "block");
        Optional<TestTracking> test = ActiveTests.current();
        NativeTracker tracker;
        ManagedTracker managed;
        try {
            tracker = test.map(TestTracking::tracker).orElseGet(Backends::tracker);
            managed = test.map(TestTracking::managed).orElseGet(Backends::managedTracker);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("load the native tracker to measure a block", e);
        }
        Object testInstance = test.map(TestTracking::testInstance).orElse(null);
        Duration settleTimeout = test.map(t -> t.settings().settleTimeout()).orElse(TrackingSettings.DEFAULT_SETTLE_TIMEOUT);
        // memtrack's own work, outside the running test's scope (here and after the block)
        MessageContext context = OwnWork.outsideScopes(tracker, managed, () -> test.map(TestTracking::messageContext)
                .orElseGet(() -> new MessageContext(MessageContext.DEFAULT_SITES_SHOWN, "",
                        new StackTrimmer(Set.of(CallerStack.callerOf(ENTRY_POINT))))));

        if (repeatMode) {
            Throwable warmUpFailure = run(block, 1);
            if (warmUpFailure != null) {
                throw BlockTracking.<RuntimeException>sneakyThrow(warmUpFailure);
            }
        }
        TrackedScope scope;
        try {
            scope = TrackedScope.begin(tracker, managed, false);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("begin measuring a block", e);
        }
        Throwable blockFailure = run(block, repetitions);
        RuntimeException trackingFailure = null;
        try {
            scope.end();
        } catch (RuntimeException e) {
            trackingFailure = MemtrackMachineryException.couldNot("end measuring a block", e);
        }
        if (blockFailure != null) {
            release(scope, blockFailure);
            if (trackingFailure != null) {
                blockFailure.addSuppressed(trackingFailure);
            }
            throw BlockTracking.<RuntimeException>sneakyThrow(blockFailure);
        }
        if (trackingFailure != null) {
            release(scope, trackingFailure);
            throw trackingFailure;
        }
        BlockMeasurement measured;
        try {
            Measurement measurement = OwnWork.outsideScopes(tracker, managed, () -> {
                scope.settle(settleTimeout, repeatMode);
                return scope.read(repeatMode ? Measurements.LeakMode.STRICT : Measurements.LeakMode.SINGLE, testInstance,
                        Thread.currentThread());
            });
            measured = new BlockMeasurement(measurement, context);
        } catch (RuntimeException e) {
            RuntimeException failure = MemtrackMachineryException.couldNot("measure a block", e);
            release(scope, failure);
            throw failure;
        }
        release(scope, null);
        return measured;
    }

    private static Throwable run(ThrowingBlock block, int times) {
        try {
            for (int i = 0; i < times; i++) {
                block.run();
            }
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Releases once; a failure to release joins {@code pending} if there is one. */
    private static void release(TrackedScope scope, Throwable pending) {
        try {
            scope.release();
        } catch (RuntimeException e) {
            RuntimeException failure = MemtrackMachineryException.couldNot("release the native scope of a block", e);
            if (pending == null) {
                throw failure;
            }
            pending.addSuppressed(failure);
        }
    }

    /** Rethrows a checked exception unchanged, without declaring it: the block's contract is "may throw anything". */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
