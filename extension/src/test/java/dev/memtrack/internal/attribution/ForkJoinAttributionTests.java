package dev.memtrack.internal.attribution;

import static dev.memtrack.internal.attribution.AttributionFixture.OTHER_SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.allocate;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.Allocated;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ForkJoinPool: tasks are registered where they enter a work queue and attached in doExec. */
class ForkJoinAttributionTests {

    private static NativeTracker tracker;
    private static ForkJoinPool pool;
    private static Outsider outsider;

    @BeforeAll
    static void createPoolBeforeAnyScope() {
        tracker = AttributionFixture.trackerWithPropagation();
        pool = new ForkJoinPool(2);
        outsider = new Outsider();
    }

    @AfterAll
    static void shutDown() {
        pool.shutdownNow();
        outsider.close();
    }

    @AfterEach
    void release() {
        AttributionFixture.releaseAll();
    }

    @Test
    void execute_submit_and_invoke_are_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                allocate();
                done.countDown();
            });
            assertThat(done.await(10, SECONDS)).isTrue();
            pool.submit(() -> allocate()).get(10, SECONDS);
            pool.submit((Callable<Object>) () -> {
                allocate();
                return null;
            }).get(10, SECONDS);
            ForkJoinTask<?> task = ForkJoinTask.adapt(() -> allocate());
            assertThat(pool.submit(task)).isSameAs(task); // identity kept: registered, not wrapped
            task.get(10, SECONDS);
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void forked_subtasks_are_attributed_wherever_they_are_stolen() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            pool.invoke(new Split(8));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE, SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void parallel_stream_on_the_common_pool_is_attributed() {
        try (TestScope scope = new TestScope(tracker)) {
            IntStream.range(0, 6).parallel().forEach(i -> allocate());
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void task_submitted_outside_any_scope_is_not_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            pool.submit(() -> allocate(SIZE)).get(10, SECONDS);
            outsider.run(() -> pool.submit(() -> allocate(OTHER_SIZE)).get(10, SECONDS));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    /** Splits down to single allocations, forking one half and computing the other. */
    private static final class Split extends RecursiveAction {
        private final int n;

        Split(int n) {
            this.n = n;
        }

        @Override
        protected void compute() {
            if (n == 1) {
                allocate();
                return;
            }
            invokeAll(new Split(n / 2), new Split(n - n / 2));
        }
    }
}
