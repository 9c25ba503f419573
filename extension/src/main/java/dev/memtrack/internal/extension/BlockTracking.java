package dev.memtrack.internal.extension;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.ThrowingBlock;
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
 * {@code MemoryAssertions.assertAllocations(block)}: runs the block in a native scope of its own,
 * nested in the running test's scope when there is one (its allocations count for the test too),
 * settles and reads the scope. Works without {@code @TrackMemory}; then the defaults apply and
 * messages name no report.
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
        Objects.requireNonNull(block, "block");
        Optional<TestTracking> test = ActiveTests.current();
        NativeTracker tracker;
        try {
            tracker = test.map(TestTracking::tracker).orElseGet(Backends::tracker);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("load the native tracker to measure a block", e);
        }
        Duration settleTimeout = test.map(t -> t.settings().settleTimeout()).orElse(ConfigurationReader.DEFAULT_SETTLE_TIMEOUT);
        MessageContext context = test.map(TestTracking::messageContext).orElseGet(() -> new MessageContext(
                MessageContext.DEFAULT_SITES_SHOWN, "", new StackTrimmer(Set.of(CallerStack.callerOf(ENTRY_POINT)))));

        long scope;
        try {
            ThreadsAndTasks.prepare(tracker);
            scope = tracker.beginScope();
            ThreadsAndTasks.entered(tracker, scope);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("begin measuring a block", e);
        }
        Throwable blockFailure = run(block);
        RuntimeException trackingFailure = null;
        try {
            tracker.endScope(scope);
            ThreadsAndTasks.exited(tracker);
        } catch (RuntimeException e) {
            trackingFailure = MemtrackMachineryException.couldNot("end measuring a block", e);
        }
        if (blockFailure != null) {
            release(tracker, scope, blockFailure);
            if (trackingFailure != null) {
                blockFailure.addSuppressed(trackingFailure);
            }
            throw BlockTracking.<RuntimeException>sneakyThrow(blockFailure);
        }
        if (trackingFailure != null) {
            release(tracker, scope, trackingFailure);
            throw trackingFailure;
        }
        BlockMeasurement measured;
        try {
            if (tracker.isAvailable() && scope != 0) {
                new GcSettler(settleTimeout).settle(tracker, scope);
            }
            measured = new BlockMeasurement(Measurement.ofNative(tracker.report(scope)), context);
        } catch (RuntimeException e) {
            RuntimeException failure = MemtrackMachineryException.couldNot("measure a block", e);
            release(tracker, scope, failure);
            throw failure;
        }
        release(tracker, scope, null);
        return measured;
    }

    private static Throwable run(ThrowingBlock block) {
        try {
            block.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Releases once; a failure to release joins {@code pending} if there is one. */
    private static void release(NativeTracker tracker, long scope, Throwable pending) {
        if (scope == 0) {
            return;
        }
        try {
            tracker.releaseScope(scope);
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
