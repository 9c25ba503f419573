package dev.memtrack.internal.attribution;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The real agent, scopes begun the way the extension begins them, and native allocations of
 * distinctive sizes that stay live until {@link #releaseAll()} (JNA {@code Memory}, a plain
 * malloc from libjnidispatch). Figures are read from the sites that contain
 * {@code Native.malloc}, so one-time work of the JVM on the test thread (a lambda class being
 * defined) cannot blur them.
 */
final class AttributionFixture {

    static final long SIZE = 2_097_169;
    static final long OTHER_SIZE = 1_999_993;

    private static final List<Memory> KEPT = Collections.synchronizedList(new ArrayList<>());

    private AttributionFixture() {
    }

    /** Skips when the agent cannot run here; installs propagation and checks it is complete. */
    static NativeTracker trackerWithPropagation() {
        NativeTracker tracker = NativeTracker.instance();
        assumeTrue(tracker.isAvailable(), () -> "native tracking is off: " + tracker.unavailableReason());
        ScopePropagation.ensureInstalled();
        assertThat(ScopePropagation.limitation()).as("propagation limits on this JDK").isEmpty();
        assertThat(ScopePropagation.isActive()).isTrue();
        new Memory(SIZE).close(); // JNA's first allocation loads and links; not inside a scope
        return tracker;
    }

    /** Allocates {@code size} native bytes that stay live until {@link #releaseAll()}. */
    static void allocate(long size) {
        KEPT.add(new Memory(size));
    }

    static void allocate() {
        allocate(SIZE);
    }

    static void releaseAll() {
        synchronized (KEPT) {
            KEPT.forEach(Memory::close);
            KEPT.clear();
        }
    }

    /** Work done inside a scope that allocates {@code size} bytes somewhere else (a pool, a new thread). */
    interface ScopedWork {
        void allocateElsewhere(long size) throws Exception;
    }

    /**
     * Fifty rounds of two scopes running at once on two threads, each making {@code work}
     * allocate its own size while the other does the same: each scope must see exactly its own
     * allocation. Both finish their work before either scope ends.
     */
    static void assertConcurrentScopesSeeOnlyTheirOwn(NativeTracker tracker, ScopedWork work) throws Exception {
        ExecutorService drivers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                Future<Allocated> first = drivers.submit(() -> runScoped(tracker, together, work, SIZE));
                Future<Allocated> second = drivers.submit(() -> runScoped(tracker, together, work, OTHER_SIZE));
                assertThat(first.get(30, SECONDS)).as("round %d, first scope", round).isEqualTo(Allocated.of(SIZE));
                assertThat(second.get(30, SECONDS)).as("round %d, second scope", round).isEqualTo(Allocated.of(OTHER_SIZE));
                releaseAll();
            }
        } finally {
            drivers.shutdownNow();
        }
    }

    private static Allocated runScoped(NativeTracker tracker, CyclicBarrier together, ScopedWork work, long size) throws Exception {
        try (TestScope scope = new TestScope(tracker)) {
            together.await(10, SECONDS);
            work.allocateElsewhere(size);
            together.await(10, SECONDS);
            scope.end();
            return scope.allocated();
        }
    }

    /** A scope begun on the calling thread as the extension does: agent first, then ScopeContext. */
    static final class TestScope implements AutoCloseable {
        final NativeTracker tracker;
        final long id;
        private boolean ended;

        TestScope(NativeTracker tracker) {
            this.tracker = tracker;
            this.id = tracker.beginScope();
            assertThat(id).isNotZero();
            ScopeContext.enter(id);
        }

        /** Ends the scope on the thread that began it; figures stay readable. */
        void end() {
            if (!ended) {
                ended = true;
                tracker.endScope(id);
                ScopeContext.exit();
            }
        }

        /** Bytes, count and live bytes of this fixture's allocations in the scope. */
        Allocated allocated() {
            ScopeReport report = tracker.report(id);
            long bytes = 0;
            long count = 0;
            long live = 0;
            for (Site site : report.sites()) {
                if (site.frames().stream().map(Frame::symbol).anyMatch(s -> s.endsWith("com.sun.jna.Native.malloc"))) {
                    bytes += site.allocatedBytes();
                    count += site.allocatedCount();
                    live += site.liveBytes();
                }
            }
            return new Allocated(bytes, count, live);
        }

        @Override
        public void close() {
            end();
            tracker.releaseScope(id);
        }
    }

    /** What the fixture allocated in one scope. */
    record Allocated(long bytes, long count, long liveBytes) {

        static Allocated of(long... sizes) {
            long sum = 0;
            for (long size : sizes) {
                sum += size;
            }
            return new Allocated(sum, sizes.length, sum);
        }

        static final Allocated NOTHING = new Allocated(0, 0, 0);
    }
}
