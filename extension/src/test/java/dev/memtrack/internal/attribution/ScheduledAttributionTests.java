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
            assertThat(runsOf(scheduler.scheduleAtFixedRate(periodic(3), 0, 10, MILLISECONDS))).isEqualTo(3);
            assertThat(runsOf(scheduler.scheduleWithFixedDelay(periodic(3), 0, 10, MILLISECONDS))).isEqualTo(3);
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

    private PeriodicTask periodic(int runs) {
        return new PeriodicTask(runs);
    }

    private static int runsOf(ScheduledFuture<?> future) throws InterruptedException {
        PeriodicTask.current.done.await(10, SECONDS);
        future.cancel(false);
        return PeriodicTask.current.count.get();
    }

    /** Allocates on each of its first {@code runs} runs. */
    private static final class PeriodicTask implements Runnable {
        static PeriodicTask current;
        final AtomicInteger count = new AtomicInteger();
        final CountDownLatch done;
        final int runs;

        PeriodicTask(int runs) {
            this.runs = runs;
            this.done = new CountDownLatch(runs);
            current = this;
        }

        @Override
        public void run() {
            if (count.get() < runs) {
                allocate();
                count.incrementAndGet();
                done.countDown();
            }
        }
    }
}
