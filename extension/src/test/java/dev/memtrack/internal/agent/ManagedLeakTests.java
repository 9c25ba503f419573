package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The managed leak check through the real agent: what is a leak, what is not, and the path. */
class ManagedLeakTests {

    static final Map<Integer, byte[]> CACHE = new HashMap<>();
    static final List<Object> REGISTRY = new ArrayList<>();

    /** Held by the test instance only: never a leak. */
    private final List<byte[]> ownedByTheTest = new ArrayList<>();

    @AfterEach
    void clearStatics() {
        CACHE.clear();
        REGISTRY.clear();
    }

    private static String path(Site site) {
        return String.join(" -> ", site.retainedBy());
    }

    private static void fillCache(int entries) {
        for (int i = 0; i < entries; i++) {
            CACHE.put(i, new byte[1000]);
        }
    }

    @Test
    void staticMapCacheIsALeakWithThePathFromTheStaticField() {
        try (ManagedScope scope = ManagedScope.begin()) {
            fillCache(2000);
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), false);
            System.out.println(describe(check));
            assertThat(check.hasLeaks()).isTrue();
            Site arrays = check.leaks().sites().stream()
                    .filter(s -> s.frames().get(0).symbol().equals(ManagedLeakTests.class.getName() + ".fillCache"))
                    .findFirst().orElseThrow(() -> new AssertionError(describe(check)));
            // estimated from samples: ~16 samples of ~128 KiB each stand for the 2 MB
            assertThat(arrays.liveBytes()).isBetween(300_000L, 6_000_000L);
            assertThat(path(arrays)).isEqualTo("static " + ManagedLeakTests.class.getName()
                    + ".CACHE -> java.util.HashMap.table -> [" + indexIn(path(arrays)) + "] -> java.util.HashMap$Node.value");
            assertThat(check.leaks().figures().liveBytes()).isGreaterThan(300_000L);
        }
    }

    private static String indexIn(String path) {
        int open = path.indexOf('[');
        return open < 0 ? "?" : path.substring(open + 1, path.indexOf(']', open));
    }

    @Test
    void objectsHeldByTheTestInstanceOrItsFramesAreNotLeaks() {
        try (ManagedScope scope = ManagedScope.begin()) {
            byte[] local = new byte[4 << 20];
            for (int i = 0; i < 1000; i++) {
                ownedByTheTest.add(new byte[1000]);
            }
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), false);
            assertThat(check.leaks().sites()).as(describe(check)).isEmpty();
            assertThat(check.candidates()).isPositive();
            assertThat(local).hasSize(4 << 20);
        }
    }

    @Test
    void aLiveThreadHoldingDataIsALeak() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        Thread worker;
        try (ManagedScope scope = ManagedScope.begin()) {
            byte[] payload = new byte[8 << 20];
            worker = new Thread(() -> {
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                payload[0] = 1;
            }, "leaky-worker");
            worker.start();
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), false);
            System.out.println(describe(check));
            Site big = check.leaks().sites().stream().filter(s -> s.liveBytes() >= 8 << 20).findFirst()
                    .orElseThrow(() -> new AssertionError(describe(check)));
            assertThat(big.retainedBy().get(0)).contains("leaky-worker");
        } finally {
            stop.countDown();
        }
        worker.join();
    }

    @Test
    void repeatModeJudgesGrowthNotFirstUse() {
        // a lazily filled cache reaches its final size in the first run
        Runnable cachedLookup = () -> {
            if (CACHE.isEmpty()) {
                fillCache(500);
            }
        };
        cachedLookup.run(); // warm-up, outside the scope
        try (ManagedScope scope = ManagedScope.begin()) {
            for (int i = 0; i < 5; i++) {
                cachedLookup.run();
            }
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), true);
            assertThat(check.leaks().sites()).as(describe(check)).isEmpty();
        }
        // a registry that grows on every run: 10 MB over the five runs, so that sampling at the
        // default 256 KiB interval misses all of it with probability e^-38 (with 2000-byte arrays,
        // 1 MB, nothing was sampled, candidates=0, in 2 of 12 runs of a loop)
        Runnable register = () -> {
            for (int i = 0; i < 100; i++) {
                REGISTRY.add(new byte[20_000]);
            }
        };
        register.run();
        try (ManagedScope scope = ManagedScope.begin()) {
            for (int i = 0; i < 5; i++) {
                register.run();
            }
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), true);
            assertThat(check.hasLeaks()).as(describe(check)).isTrue();
            assertThat(path(check.leaks().sites().get(0))).startsWith("static " + ManagedLeakTests.class.getName() + ".REGISTRY");
        }
    }

    static String describe(ManagedTracker.LeakCheck check) {
        StringBuilder out = new StringBuilder();
        out.append("candidates=").append(check.candidates()).append(" walk=").append(check.walkMicros()).append("us")
                .append(" leaked=").append(check.leaks().figures().liveBytes()).append(" once=")
                .append(check.oneTimeInitialisation().figures().liveBytes()).append(' ').append(check.note()).append('\n');
        for (Site s : check.leaks().sites()) {
            append(out, "LEAK", s);
        }
        for (int i = 0; i < check.oneTimeInitialisation().sites().size(); i++) {
            append(out, "ONCE (" + check.reasons().get(i) + ")", check.oneTimeInitialisation().sites().get(i));
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String kind, Site s) {
        out.append(kind).append(' ').append(s.liveBytes()).append(" B in ").append(s.liveCount()).append('\n');
        s.frames().stream().limit(6).forEach(f -> out.append("    ").append(f.symbol()).append(':').append(f.line()).append('\n'));
        out.append("    retained by: ").append(path(s)).append('\n');
    }

    static boolean allocatedIn(Site s, String methodSuffix) {
        return s.frames().stream().map(Frame::symbol).anyMatch(sym -> sym.endsWith(methodSuffix));
    }
}
