package dev.memtrack.internal.attribution;

import static dev.memtrack.internal.attribution.AttributionFixture.OTHER_SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.allocate;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.Allocated;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ScheduledThreadPoolExecutor, created before the scope. */
class ScheduledAttributionTests {

    private static NativeTracker tracker;
    private static ScheduledExecutorService scheduler;
    private static Outsider outsider;

    @BeforeAll
    static void createSchedulerBeforeAnyScope() {
        tracker = AttributionFixture.trackerWithPropagation();
        scheduler = Executors.newScheduledThreadPool(2);
        outsider = new Outsider();
    }

    @AfterAll
    static void shutDown() {
        scheduler.shutdownNow();
        outsider.close();
    }

    @AfterEach
    void release() {
        AttributionFixture.releaseAll();
    }

    @Test
    void scheduled_runnable_and_callable_are_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            scheduler.schedule(() -> allocate(), 20, MILLISECONDS).get(10, SECONDS);
            scheduler.schedule(() -> {
                allocate();
                return "done";
            }, 20, MILLISECONDS).get(10, SECONDS);
            scheduler.submit(() -> allocate()).get(10, SECONDS); // STPE.submit goes through schedule
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE));
        }
    }

    @Test
    void every_run_of_a_periodic_task_is_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            PeriodicTask atFixedRate = new PeriodicTask(3);
            atFixedRate.await(scheduler.scheduleAtFixedRate(atFixedRate, 0, 10, MILLISECONDS));
            PeriodicTask withFixedDelay = new PeriodicTask(3);
            withFixedDelay.await(scheduler.scheduleWithFixedDelay(withFixedDelay, 0, 10, MILLISECONDS));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void task_scheduled_outside_any_scope_is_not_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            scheduler.schedule(() -> allocate(SIZE), 0, MILLISECONDS).get(10, SECONDS);
            outsider.run(() -> scheduler.schedule(() -> allocate(OTHER_SIZE), 0, MILLISECONDS).get(10, SECONDS));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    /** Allocates on each of its first {@code runs} runs. */
    private static final class PeriodicTask implements Runnable {
        private final AtomicInteger count = new AtomicInteger();
        private final CountDownLatch done;
        private final int runs;

        PeriodicTask(int runs) {
            this.runs = runs;
            this.done = new CountDownLatch(runs);
        }

        @Override
        public void run() {
            if (count.get() < runs) {
                allocate();
                count.incrementAndGet();
                done.countDown();
            }
        }

        /** Waits for the runs, then cancels the schedule. */
        void await(ScheduledFuture<?> schedule) throws InterruptedException {
            assertThat(done.await(10, SECONDS)).isTrue();
            schedule.cancel(false);
            assertThat(count.get()).isEqualTo(runs);
        }
    }
}
