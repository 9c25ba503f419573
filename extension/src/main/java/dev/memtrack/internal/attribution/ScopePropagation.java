package dev.memtrack.internal.attribution;

import dev.memtrack.internal.agent.NativeTracker;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.stream.Collectors;

/**
 * Carries a test's scope to the tasks it hands to other threads: thread pools
 * (ThreadPoolExecutor, ScheduledThreadPoolExecutor, ForkJoinPool and so CompletableFuture's
 * async stages) and virtual threads. Threads a scoped thread starts itself inherit its scope in
 * the agent (pthread_create) and need nothing from here.
 *
 * <p>Call {@link #ensureInstalled()} once before the first scope begins (idempotent and
 * thread-safe, so calling it before every test is fine). The extension then tells
 * {@link ScopeContext} when scopes are entered and exited; the hooks are live only while a scope
 * is entered. See {@code docs/attribution.md} for the rules and limits.
 */
public final class ScopePropagation {

    private static volatile Outcome outcome;

    private ScopePropagation() {
    }

    /**
     * Rewrites the JDK's executor and virtual-thread classes, once per JVM. Never throws: when it
     * cannot (native tracking off, a JVM without the capability to retransform, a JDK whose
     * internals moved), it logs one warning saying that executor and virtual-thread attribution
     * is off or partial and why, and memtrack goes on attributing the test thread and the
     * threads it starts.
     */
    public static void ensureInstalled() {
        if (outcome != null) {
            return;
        }
        Outcome result;
        synchronized (ScopePropagation.class) {
            if (outcome != null) {
                return;
            }
            result = install();
            outcome = result;
        }
        result.log();
    }

    /** True when tasks are carried to pool threads and virtual threads (perhaps partially). */
    public static boolean isActive() {
        Outcome o = outcome;
        return o != null && o.active();
    }

    /** Why propagation is off or partial; "" when it is complete or not installed yet. */
    public static String limitation() {
        Outcome o = outcome;
        return o == null ? "" : o.reason();
    }

    private static Outcome install() {
        NativeTracker tracker = NativeTracker.instance();
        if (!tracker.isAvailable()) {
            // the loader has already warned; attribution is moot without the agent
            return new Outcome(false, "native memory tracking is off (" + tracker.unavailableReason() + ")", Level.FINE);
        }
        // the rewrite allocates; none of it belongs to a scope the caller may be in
        long previous = ScopeContext.attach(0);
        try {
            PropagationHooks.preload();
            String error = JvmtiClassTransformer.install(PropagationTargets.forFeature(Runtime.version().feature()));
            Map<String, String> problems = new TreeMap<>(JvmtiClassTransformer.problems());
            if (error != null) {
                return new Outcome(false, error + problemsText(problems), Level.WARNING);
            }
            PropagationHooks.installed();
            if (JvmtiClassTransformer.rewritten().isEmpty()) {
                return new Outcome(false, "no JDK class could be rewritten" + problemsText(problems), Level.WARNING);
            }
            return problems.isEmpty() ? new Outcome(true, "", Level.FINE)
                    : new Outcome(true, "partial:" + problemsText(problems), Level.WARNING);
        } catch (UnsatisfiedLinkError e) {
            return new Outcome(false, "this libmemtrack has no class transformer (" + e.getMessage() + ")", Level.WARNING);
        } catch (RuntimeException | LinkageError e) {
            return new Outcome(false, e.toString(), Level.WARNING);
        } finally {
            ScopeContext.attach(previous);
        }
    }

    private static String problemsText(Map<String, String> problems) {
        if (problems.isEmpty()) {
            return "";
        }
        return problems.entrySet().stream()
                .map(e -> " " + e.getKey().replace('/', '.') + ": " + e.getValue())
                .collect(Collectors.joining(";", "", ""));
    }

    private record Outcome(boolean active, String reason, Level level) {

        void log() {
            if (reason.isEmpty()) {
                return;
            }
            String message = active
                    ? "memtrack: attribution of executor tasks and virtual threads is partial on JDK " + Runtime.version()
                            + " —" + reason.substring("partial:".length())
                            + ". Tasks taking those paths are not attributed to the test that submitted them."
                    : "memtrack: attribution of executor tasks and virtual threads is off: " + reason
                            + ". Allocations of the test thread and of the threads it starts are still attributed;"
                            + " tasks it submits to thread pools, CompletableFuture async stages and virtual threads are not.";
            if (level == Level.WARNING) {
                message += ByteBuddyVersion.hint(ByteBuddyVersion.onClassPath());
            }
            PropagationFailures.LOG.log(level, message);
        }
    }
}
