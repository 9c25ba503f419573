package dev.memtrack.internal.attribution;

import dev.memtrack.internal.agent.NativeTracker;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.junit.platform.commons.PreconditionViolationException;

/**
 * Attribution {@code process}: every thread without a scope of its own (pool workers, the JVM's
 * and libraries' threads) records into the test's scope. It cannot tell concurrent tests apart,
 * so it is refused when JUnit runs tests in parallel, and only one test may use it at a time.
 *
 * <p>Sequence for the extension, on the test thread: {@link #refuseIfConcurrent} while resolving
 * settings (before touching any global state); {@code scope = tracker.beginScope()};
 * {@link #begin}; the test; {@link #end}; {@code tracker.endScope(scope)}.
 */
public final class ProcessWideMode {

    /** JUnit Jupiter's switch for parallel execution. */
    public static final String PARALLEL_ENABLED = "junit.jupiter.execution.parallel.enabled";

    private static long activeScope;

    private ProcessWideMode() {
    }

    /**
     * Throws when the run may execute tests concurrently.
     *
     * @param configuration JUnit configuration lookup, e.g. {@code context::getConfigurationParameter}
     * @throws PreconditionViolationException naming the setting, when {@value #PARALLEL_ENABLED} is true
     */
    public static void refuseIfConcurrent(Function<String, Optional<String>> configuration) {
        boolean parallel = configuration.apply(PARALLEL_ENABLED)
                .map(value -> value.trim().toLowerCase(Locale.ROOT))
                .filter("true"::equals)
                .isPresent();
        if (parallel) {
            throw new PreconditionViolationException(refusal());
        }
    }

    /** The refusal, word for word. */
    static String refusal() {
        return "memtrack attribution 'process' records every thread and cannot tell concurrent tests apart; it is refused because "
                + PARALLEL_ENABLED + "=true. Use attribution TEST_THREADS (the default) or run tests sequentially.";
    }

    /**
     * Makes every thread without a scope record into {@code scope}.
     *
     * @throws IllegalStateException if another scope is recording process-wide (tests overlapping
     *         although parallel execution is off, e.g. a test that runs the engine itself)
     */
    public static synchronized void begin(NativeTracker tracker, long scope) {
        if (activeScope != 0 && activeScope != scope) {
            throw new IllegalStateException("memtrack attribution 'process': scope " + activeScope
                    + " already records every thread; two tests cannot use process-wide attribution at the same time");
        }
        activeScope = scope;
        tracker.setProcessScope(scope);
    }

    /** Turns process-wide recording off. Idempotent. */
    public static synchronized void end(NativeTracker tracker) {
        if (activeScope != 0) {
            tracker.setProcessScope(0);
            activeScope = 0;
        }
    }

    /** The scope recording process-wide, 0 if none. */
    public static synchronized long activeScope() {
        return activeScope;
    }
}
