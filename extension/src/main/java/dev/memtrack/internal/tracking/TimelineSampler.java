package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.TimelinePoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Samples a scope's live native bytes and held managed bytes (what the managed peak measures; an
 * estimate in sampled mode) at 1, 3 and 6 ms, then every 10 ms, into a {@link Timeline}; each
 * sample also takes the highest total the agent saw since the previous one
 * ({@link NativeTracker#takePeak}), so no peak falls between two samples. All running tests share
 * one daemon thread: a sample is one cheap call into the agent, and a thread per test would
 * itself cost native memory (its stack).
 */
@API(status = INTERNAL, since = "0.1")
public final class TimelineSampler {

    static final long PERIOD_MILLIS = 10;

    /** One-off samples before the first period, in ms. */
    static final long[] EARLY_MILLIS = {1, 3, 6};

    private final List<ScheduledFuture<?>> tasks;

    private TimelineSampler(List<ScheduledFuture<?>> tasks) {
        this.tasks = tasks;
    }

    /** Starts sampling {@code scope}; offsets are counted from {@code startNanos}. */
    static TimelineSampler start(NativeTracker tracker, ManagedTracker managed, long scope, long startNanos, Timeline timeline) {
        Runnable sample = () -> timeline.sample(point(tracker, managed, scope, System.nanoTime() - startNanos));
        // Scheduled with the test thread detached: the sampler's thread (started on first use)
        // and its tasks must not inherit the test's scope, or the per-thread state JNA
        // allocates for it would count as the test's leak.
        long previous = ThreadsAndTasks.attach(tracker, 0);
        try {
            // an exception ends this test's sampling only (ScheduledExecutorService cancels the task)
            // a few samples early on, so a test shorter than one period still has a shape
            List<ScheduledFuture<?>> tasks = new ArrayList<>(EARLY_MILLIS.length + 1);
            for (long early : EARLY_MILLIS) {
                tasks.add(SharedThread.EXECUTOR.schedule(sample, early, TimeUnit.MILLISECONDS));
            }
            tasks.add(SharedThread.EXECUTOR.scheduleAtFixedRate(sample, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS));
            return new TimelineSampler(tasks);
        } finally {
            ThreadsAndTasks.attach(tracker, previous);
        }
    }

    /**
     * The scope now, with the highest total since the previous point: read last, so that it
     * covers the instant the live figures were read.
     */
    static TimelinePoint point(NativeTracker tracker, ManagedTracker managed, long scope, long offsetNanos) {
        long nativeLive = tracker.figures(scope).liveBytes();
        long managedHeld = managed.heldBytes(scope);
        return new TimelinePoint(TimeUnit.NANOSECONDS.toMillis(offsetNanos), nativeLive, managedHeld,
                tracker.takePeak(scope));
    }

    void stop() {
        tasks.forEach(task -> task.cancel(false));
    }

    /** Created on first use, so untracked runs start no thread. */
    private static final class SharedThread {
        static final ScheduledThreadPoolExecutor EXECUTOR = create();

        private static ScheduledThreadPoolExecutor create() {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = Executors.defaultThreadFactory().newThread(runnable);
                thread.setName("memtrack-timeline");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            return executor;
        }
    }
}
