package dev.memtrack.internal.attribution;

import static dev.memtrack.internal.attribution.AttributionFixture.OTHER_SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.SIZE;
import static dev.memtrack.internal.attribution.AttributionFixture.allocate;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.attribution.AttributionFixture.Allocated;
import dev.memtrack.internal.attribution.AttributionFixture.TestScope;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** Virtual threads (JDK 21+); the API is reached through method handles since this compiles for 17. */
@EnabledForJreRange(min = JRE.JAVA_21)
class VirtualThreadAttributionTests {

    private static NativeTracker tracker;
    private static MethodHandle startVirtualThread;
    private static ExecutorService perTask;
    private static Outsider outsider;

    @BeforeAll
    static void prepareBeforeAnyScope() throws Throwable {
        tracker = AttributionFixture.trackerWithPropagation();
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        startVirtualThread = lookup.findStatic(Thread.class, "startVirtualThread", MethodType.methodType(Thread.class, Runnable.class));
        perTask = (ExecutorService) lookup.findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                MethodType.methodType(ExecutorService.class)).invoke();
        outsider = new Outsider();
        startVirtual(() -> { }).join(); // the scheduler and its carriers exist before any scope
    }

    @AfterAll
    static void shutDown() {
        perTask.shutdownNow();
        outsider.close();
    }

    @AfterEach
    void release() {
        AttributionFixture.releaseAll();
    }

    @Test
    void virtual_thread_started_in_a_scope_is_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            startVirtual(() -> allocate()).join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void virtual_thread_stays_attributed_after_parking_and_remounting() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(startVirtual(() -> {
                    for (int j = 0; j < 3; j++) {
                        allocate();
                        LockSupport.parkNanos(2_000_000); // unmounts; may continue on another carrier
                        Thread.yield();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            scope.end();
            assertThat(scope.allocated().count()).isEqualTo(12);
            assertThat(scope.allocated().bytes()).isEqualTo(12 * SIZE);
        }
    }

    @Test
    void virtual_thread_per_task_executor_is_attributed() throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            perTask.submit(() -> allocate()).get(10, SECONDS);
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        }
    }

    @Test
    void virtual_thread_started_outside_any_scope_is_not_attributed_even_when_the_test_wakes_it() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        Thread early = startVirtual(() -> {
            try {
                go.await(); // unparked by the scoped test thread below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            allocate(OTHER_SIZE);
        });
        try (TestScope scope = new TestScope(tracker)) {
            go.countDown();
            early.join();
            outsider.run(() -> startVirtual(() -> allocate(OTHER_SIZE)).join());
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.NOTHING);
        }
    }

    @Test
    void tasks_submitted_from_a_scoped_virtual_thread_are_attributed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (TestScope scope = new TestScope(tracker)) {
            startVirtual(() -> {
                try {
                    pool.submit(() -> allocate()).get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).join();
            scope.end();
            assertThat(scope.allocated()).isEqualTo(Allocated.of(SIZE));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void two_scopes_starting_virtual_threads_concurrently_each_see_only_their_own() throws Exception {
        AttributionFixture.assertConcurrentScopesSeeOnlyTheirOwn(tracker, size -> startVirtual(() -> {
            LockSupport.parkNanos(1_000_000);
            allocate(size);
        }).join());
    }

    private static Thread startVirtual(Runnable task) {
        try {
            return (Thread) startVirtualThread.invoke(task);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
