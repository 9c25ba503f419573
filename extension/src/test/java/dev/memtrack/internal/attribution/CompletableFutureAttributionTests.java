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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CompletableFuture's async stages. The default executor is the common pool, except on JDK 17
 * (to 24) when the common pool's parallelism is 1 (two CPUs or fewer): then a new thread per
 * task, covered by the agent's pthread_create inheritance. Both paths are exercised here: the
 * default one, whichever it is on this machine, and the common pool given explicitly.
 */
class CompletableFutureAttributionTests {

    private static NativeTracker tracker;
    private static ExecutorService pool;
    private static Outsider outsider;

    @BeforeAll
    static void createExecutorsBeforeAnyScope() {
        tracker = AttributionFixture.trackerWithPropagation();
        pool = Executors.newFixedThreadPool(2);
        outsider = new Outsider();
        System.out.printf("JDK %s: common pool parallelism %d, CompletableFuture's default executor %s%n", Runtime.version(),
                ForkJoinPool.getCommonPoolParallelism(), new CompletableFuture<>().defaultExecutor().getClass().getName());
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
    void run_and_supply_async_on_the_default_executor_are_attributed() {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture.runAsync(() -> allocate()).join();
            CompletableFuture.supplyAsync(() -> {
                allocate();
                return 1;
            }).join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE));
        }
    }

    @Test
    void run_and_supply_async_on_the_common_pool_given_explicitly_are_attributed() {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture.runAsync(() -> allocate(), ForkJoinPool.commonPool()).join();
            CompletableFuture.supplyAsync(() -> {
                allocate();
                return 1;
            }, ForkJoinPool.commonPool()).join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE));
        }
    }

    @Test
    void run_and_supply_async_on_a_given_thread_pool_are_attributed() {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture.runAsync(() -> allocate(), pool).join();
            CompletableFuture.supplyAsync(() -> {
                allocate();
                return 1;
            }, pool).join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE));
        }
    }

    @Test
    void then_apply_async_chains_are_attributed_across_executors() {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture.supplyAsync(() -> step(0))
                    .thenApplyAsync(CompletableFutureAttributionTests::step)
                    .thenApplyAsync(CompletableFutureAttributionTests::step, pool)
                    .thenApplyAsync(CompletableFutureAttributionTests::step, ForkJoinPool.commonPool())
                    .thenAcceptAsync(CompletableFutureAttributionTests::step)
                    .join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE, SIZE, SIZE, SIZE, SIZE));
        }
    }

    @Test
    void a_stage_triggered_later_by_a_delayed_completion_is_attributed() {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture<Integer> source = new CompletableFuture<>();
            CompletableFuture<Integer> chain = source.thenApplyAsync(CompletableFutureAttributionTests::step, pool);
            source.completeAsync(() -> 1, CompletableFuture.delayedExecutor(20, MILLISECONDS, pool));
            chain.join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void async_stage_started_outside_any_scope_is_not_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            CompletableFuture.runAsync(() -> allocate(SIZE)).join();
            outsider.run(() -> CompletableFuture.runAsync(() -> allocate(OTHER_SIZE)).get(10, SECONDS));
            outsider.run(() -> CompletableFuture.runAsync(() -> allocate(OTHER_SIZE), pool).get(10, SECONDS));
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    private static int step(int i) {
        allocate();
        return i + 1;
    }
}
