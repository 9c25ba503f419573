package dev.memtrack.internal.attribution;

import static dev.memtrack.internal.attribution.AttributionFixture.OTHER_SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.allocate;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.Allocated;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ThreadPoolExecutor: pools created before the scope, as a test finds them. */
class ThreadPoolAttributionTests {

    private static NativeTracker tracker;
    private static ExecutorService pool;
    private static ExecutorService single;
    private static Outsider outsider;

    @BeforeAll
    static void createPoolsBeforeAnyScope() throws Exception {
        tracker = AttributionFixture.trackerWithPropagation();
        pool = Executors.newFixedThreadPool(2);
        single = Executors.newSingleThreadExecutor();
        outsider = new Outsider();
    }

    @AfterAll
    static void shutDown() {
        pool.shutdownNow();
        single.shutdownNow();
        outsider.close();
    }

    @AfterEach
    void release() {
        AttributionFixture.releaseAll();
    }

    @Test
    void submitted_runnable_is_attributed_to_the_submitting_scope() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            pool.submit(() -> allocate()).get();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void executed_runnable_callable_and_invoke_all_are_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            CountDownLatch done = new CountDownLatch(1);
            pool.execute(() -> {
                allocate();
                done.countDown();
            });
            assertThat(done.await(10, SECONDS)).isTrue();
            pool.submit((Callable<Object>) () -> {
                allocate();
                return null;
            }).get();
            for (Future<Object> f : pool.invokeAll(List.<Callable<Object>>of(() -> {
                allocate();
                return null;
            }, () -> {
                allocate();
                return null;
            }))) {
                f.get();
            }
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void task_submitted_outside_any_scope_is_not_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            // the submitter is a thread without a scope; the task runs while the scope is open
            outsider.run(() -> pool.submit(() -> allocate()).get());
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.NOTHING);
        }
    }

    @Test
    void task_submitted_before_the_scope_is_not_attributed() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Future<?> early = pool.submit(() -> {
            go.await();
            allocate();
            return null;
        });
        try (TestScope scope = new TestScope(tracker)) {
            go.countDown();
            early.get();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.NOTHING);
        }
    }

    @Test
    void worker_that_ran_a_scoped_task_does_not_attribute_a_later_unscoped_one() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            single.submit(() -> allocate(SIZE)).get();
            outsider.run(() -> single.submit(() -> allocate(OTHER_SIZE)).get());
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void worker_created_by_a_scoped_submission_does_not_keep_the_scope() throws Exception {
        ExecutorService fresh = Executors.newSingleThreadExecutor();
        try (TestScope scope = new TestScope(tracker)) {
            fresh.submit(() -> allocate(SIZE)).get(); // the worker thread is started here, by the test
            outsider.run(() -> fresh.submit(() -> allocate(OTHER_SIZE)).get());
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        } finally {
            fresh.shutdownNow();
        }
    }

    @Test
    void submitted_future_keeps_its_identity_for_after_execute() throws Exception {
        AtomicReference<Runnable> seen = new AtomicReference<>();
        ThreadPoolExecutor observing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                seen.set(r);
            }
        };
        try (TestScope scope = new TestScope(tracker)) {
            Future<?> future = observing.submit(() -> allocate());
            future.get();
            observing.shutdown();
            assertThat(observing.awaitTermination(10, SECONDS)).isTrue();
            assertThat(seen.get()).isSameAs(future);
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void two_scopes_submitting_concurrently_to_one_pool_each_see_only_their_own_task() throws Exception {
        AttributionFixture.assertConcurrentScopesSeeOnlyTheirOwn(tracker, size -> pool.submit(() -> allocate(size)).get());
    }
}
