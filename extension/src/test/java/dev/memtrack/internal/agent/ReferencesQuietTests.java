package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Cleaner;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The agent's answer to "has the JVM finished acting on the references its collections found?"
 * (memtrack_references_quiet), which settling asks after each collection: busy while a cleaner
 * runs an action or a queue it reads holds a reference, quiet once all are idle.
 */
class ReferencesQuietTests {

    private final NativeTracker tracker = NativeTracker.instance();

    private void awaitQuiet() {
        await("references quiet").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                .until(() -> tracker.referencesQuiet() == 1);
    }

    @Test
    void anIdleJvmIsQuiet() {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        tracker.forceGc();
        awaitQuiet();
    }

    @Test
    void aCleanerRunningAnActionIsBusyUntilItReturns() throws InterruptedException {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        Cleaner cleaner = Cleaner.create();
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch running = new CountDownLatch(1);
        // the cleaner's thread is seen waiting in its queue first, so that it is known as one
        cleaner.register(new Object(), () -> { });
        tracker.forceGc();
        awaitQuiet();

        cleaner.register(new Object(), () -> {
            running.countDown();
            while (!release.get()) {
                Thread.onSpinWait(); // runnable: an action at work
            }
        });
        tracker.forceGc();
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            // never quiet while the action runs: pending while the Reference Handler still has
            // references of the collection to process, then acting
            for (int i = 0; i < 20; i++) {
                assertThat(tracker.referencesQuiet()).isNotEqualTo(NativeTracker.REFERENCES_QUIET);
            }
            await("the action seen running").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                    .until(() -> tracker.referencesQuiet() == NativeTracker.REFERENCES_ACTING);
            assertThat(tracker.referencesQuiet()).isNotEqualTo(NativeTracker.REFERENCES_QUIET);
        } finally {
            release.set(true);
        }
        awaitQuiet();
    }

    @Test
    void aDirectBufferFreedByTheReferenceHandlerEndsQuiet() {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        // A direct buffer's memory is freed by the Reference Handler itself (the JDK's internal
        // cleaner): after the collection either it is still at work or it is done and quiet.
        ByteBuffer.allocateDirect(1_234_567);
        tracker.forceGc();
        awaitQuiet();
    }

    @Test
    void aThreadOnceSeenInAQueueIsNotBusyWhenItAsksItselfNorForeverWhenItWorksElsewhere() throws Exception {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch inQueue = new CountDownLatch(1);
        CountDownLatch seen = new CountDownLatch(1);
        // a test's worker that waits in a queue of its own once, then settles its own test and
        // works (runnable) between its settlings, as parallel test workers do
        Thread worker = new Thread(() -> {
            try {
                inQueue.countDown();
                queue.remove(300);
                seen.await();
                awaitQuiet(); // asked from the worker itself: it is runnable, and not busy for it
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "memtrack-test-worker");
        worker.start();
        try {
            assertThat(inQueue.await(10, TimeUnit.SECONDS)).isTrue();
            await("the worker waits in its queue").atMost(Duration.ofSeconds(10))
                    .until(() -> worker.getState() == Thread.State.TIMED_WAITING);
            tracker.referencesQuiet(); // sees it there: remembered as a thread that drains a queue
            seen.countDown();
            // it spins elsewhere from now on: busy for a few answers at most, then forgotten
            awaitQuiet();
        } finally {
            stop.set(true);
            worker.join(10_000);
        }
    }

    @Test
    void aThreadThatOnlyPollsAQueueIsNeverTakenForACleaner() throws InterruptedException {
        assertTrue(tracker.isAvailable(), tracker::unavailableReason);
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        PhantomReference<Object> ref = new PhantomReference<>(new Object(), queue);
        AtomicBoolean stop = new AtomicBoolean();
        Thread poller = new Thread(() -> {
            while (!stop.get()) {
                queue.poll(); // a WeakHashMap's expunge does this from any thread, between other work
                Thread.onSpinWait();
            }
        }, "memtrack-test-poller");
        poller.start();
        try {
            tracker.forceGc();
            awaitQuiet(); // the poller stays runnable throughout: it must not hold settling up
        } finally {
            stop.set(true);
            poller.join();
            Reference.reachabilityFence(ref);
        }
    }
}
