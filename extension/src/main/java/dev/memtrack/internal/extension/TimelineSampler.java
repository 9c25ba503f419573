package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.TimelinePoint;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Samples a scope's live native bytes and live managed bytes (sampled objects not yet reclaimed,
 * an estimate in sampled mode) every 10 ms into a {@link Timeline}. All running tests share
 * one daemon thread: a sample is one cheap call into the agent, and a thread per test would
 * itself cost native memory (its stack).
 */
final class TimelineSampler {

    static final long PERIOD_MILLIS = 10;

    private final ScheduledFuture<?> task;

    private TimelineSampler(ScheduledFuture<?> task) {
        this.task = task;
    }

    /** Starts sampling {@code scope}; offsets are counted from {@code startNanos}. */
    static TimelineSampler start(NativeTracker tracker, ManagedTracker managed, long scope, long startNanos, Timeline timeline) {
        Runnable sample = () -> timeline.sample(new TimelinePoint(
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), tracker.figures(scope).liveBytes(),
                managed.figures(scope).liveBytes()));
        // Scheduled with the test thread detached: the sampler's thread (started on first use)
        // and its tasks must not inherit the test's scope, or the per-thread state JNA
        // allocates for it would count as the test's leak.
        long previous = ThreadsAndTasks.attach(tracker, 0);
        try {
            // an exception ends this test's sampling only (ScheduledExecutorService cancels the task)
            return new TimelineSampler(SharedThread.EXECUTOR.scheduleAtFixedRate(sample, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS));
        } finally {
            ThreadsAndTasks.attach(tracker, previous);
        }
    }

    void stop() {
        task.cancel(false);
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
