package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Sampling threads in scopes, forced GCs and leak walks all at once for a few seconds: the JVM
 * must neither hang nor crash (a JDK 17 ObjectFree flush deadlock was found exactly so).
 */
class ManagedStressTests {

    static final List<Object> RETAINED = new ArrayList<>();

    @Test
    void samplingGcAndLeakWalksTogether() throws Exception {
        ManagedTracker managed = ManagedTracker.instance();
        NativeTracker nativeTracker = NativeTracker.instance();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long scope = nativeTracker.beginScope();
                        managed.meterEnter(scope);
                        Object[] ring = new Object[256];
                        for (int i = 0; i < 200_000; i++) {
                            ring[i & 255] = new byte[16 + (i % 200)];
                        }
                        if (id == 0) {
                            synchronized (RETAINED) {
                                RETAINED.add(new byte[4096]);
                            }
                        }
                        managed.meterExit(scope);
                        nativeTracker.endScope(scope);
                        managed.figures(scope);
                        managed.report(scope);
                        managed.checkLeaks(scope, null, Thread.currentThread(), id == 1);
                        nativeTracker.releaseScope(scope);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "stress-" + t));
        }
        threads.add(new Thread(() -> {
            while (!stop.get()) {
                System.gc();
                managed.settle();
            }
        }, "stress-gc"));
        threads.forEach(Thread::start);
        Thread.sleep(6_000);
        stop.set(true);
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).as(t.getName() + " finished").isFalse();
        }
        assertThat(failure.get()).isNull();
        synchronized (RETAINED) {
            RETAINED.clear();
        }
    }
}
