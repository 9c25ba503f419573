package dev.memtrack.internal.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GcSettlerTests {

    private static final List<Frame> STACK = List.of(new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0));

    private final FakeNativeTracker tracker = FakeNativeTracker.available();
    private final ScheduledExecutorService cleanerThread = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger gcs = new AtomicInteger();

    @AfterEach
    void stopCleaner() {
        cleanerThread.shutdownNow();
    }

    @Test
    void settlesAfterTwoCollectionsAndThreeQuietPolls() {
        long scope = scopeWith(1000);

        long start = System.nanoTime();
        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(figures.liveBytes()).isEqualTo(1000);
        assertThat(gcs.get()).isEqualTo(GcSettler.MIN_GCS);
        assertThat(tookMillis).isBetween(30L, 1000L);
    }

    @Test
    void aScopeWithNothingLiveNeedsNoCollection() {
        long scope = tracker.beginScope();
        long address = tracker.malloc(100, STACK);
        tracker.free(address);
        tracker.endScope(scope);

        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);

        assertThat(figures.liveBytes()).isZero();
        assertThat(figures.allocatedBytes()).isEqualTo(100);
        assertThat(gcs).hasValue(0);
    }

    @Test
    void sampledHeapObjectsStillLiveGetOneCollectionAndTheLeakChecksWalk() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long scope = scopeWith(managed, 0, 700_000); // reachable: no collection frees it

        assertThat(collectionsToSettle(managed, scope)).isEqualTo(1);
        assertThat(managed.figures(scope).liveBytes()).isEqualTo(700_000);
    }

    @Test
    void exactHeapObjectsStillLiveGetTheirCollection() {
        FakeManagedTracker managed = FakeManagedTracker.exact(tracker);

        assertThat(collectionsToSettle(managed, scopeWith(managed, 0, 700_000))).isEqualTo(GcSettler.MIN_GCS);
    }

    @Test
    void nativeMemoryLiveBesideSampledHeapObjectsGetsItsCollections() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);

        assertThat(collectionsToSettle(managed, scopeWith(managed, 100, 700_000))).isEqualTo(GcSettler.MIN_GCS);
    }

    @Test
    void stopsWaitingOnceNothingIsLive() {
        long scope = tracker.beginScope();
        long address = tracker.malloc(100, STACK);
        tracker.endScope(scope);
        // like a Cleaner: the collection frees the allocation 5 ms later, on another thread
        Runnable gc = () -> {
            gcs.incrementAndGet();
            cleanerThread.schedule(() -> tracker.free(address), 5, TimeUnit.MILLISECONDS);
        };

        Figures figures = new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, scope);

        assertThat(figures.liveBytes()).isZero();
        assertThat(gcs).hasValue(1);
    }

    @Test
    void waitsForWhatCleanersFreeAfterACollection() {
        long scope = tracker.beginScope();
        long[] addresses = new long[5];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = tracker.malloc(100, STACK);
        }
        tracker.endScope(scope);
        // like a Cleaner: each GC frees one allocation 5 ms later, on another thread
        AtomicInteger nextToFree = new AtomicInteger();
        Runnable gc = () -> {
            gcs.incrementAndGet();
            int i = nextToFree.getAndIncrement();
            if (i < addresses.length) {
                cleanerThread.schedule(() -> tracker.free(addresses[i]), 5, TimeUnit.MILLISECONDS);
            }
        };

        Figures figures = new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, scope);

        assertThat(figures.liveBytes()).isZero();
        assertThat(gcs.get()).isEqualTo(addresses.length);
    }

    @Test
    void judgesWhatIsLiveWhenTheBoundIsReached() {
        long scope = tracker.beginScope();
        long[] addresses = new long[10_000];
        for (int i = 0; i < addresses.length; i++) {
            addresses[i] = tracker.malloc(1, STACK);
        }
        tracker.endScope(scope);
        // something keeps freeing, one allocation every 3 ms: live never stops falling
        AtomicInteger nextToFree = new AtomicInteger();
        cleanerThread.scheduleAtFixedRate(() -> tracker.free(addresses[nextToFree.getAndIncrement()]), 0, 3, TimeUnit.MILLISECONDS);

        long start = System.nanoTime();
        Figures figures = new GcSettler(Duration.ofMillis(300), gcs::incrementAndGet).settle(tracker, scope);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMillis).isBetween(250L, 2000L);
        assertThat(figures.liveBytes()).isBetween(1L, 10_000L);
        assertThat(gcs.get()).isBetween(3, 10);
    }

    @Test
    void detachesTheCallingThreadWhileItWaitsAndRestoresIt() {
        long scope = tracker.beginScope();
        tracker.malloc(100, STACK); // something live, so that there is something to settle
        AtomicInteger chargedDuringGc = new AtomicInteger();
        Runnable gc = () -> {
            if (tracker.currentScope() != 0) {
                chargedDuringGc.incrementAndGet();
            }
        };

        new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, scope);

        assertThat(chargedDuringGc).hasValue(0);
        assertThat(tracker.currentScope()).isEqualTo(scope);
        assertThat(tracker.calls()).containsSubsequence("attach 0", "attach " + scope);
    }

    @Test
    void aTimeoutTooShortToPollCollectsOnce() {
        long scope = scopeWith(10);

        Figures figures = new GcSettler(Duration.ZERO, gcs::incrementAndGet).settle(tracker, scope);

        assertThat(gcs).hasValue(1);
        assertThat(figures.liveBytes()).isEqualTo(10);
    }

    @Test
    void whenTheJvmSaysReferencesAreQuietMemoryNoCollectionFreesTakesOneCollection() {
        AtomicInteger asked = new AtomicInteger();
        tracker.referencesQuietWith(() -> {
            asked.incrementAndGet();
            return 1;
        });
        long scope = scopeWith(1000); // held by something reachable: no collection frees it

        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(1000);
        assertThat(gcs).hasValue(1);
        assertThat(asked.get()).as("asked before, then twice after the collection").isGreaterThanOrEqualTo(3);
    }

    @Test
    void whileACleanerRunsItWaitsThenCollectsAgainForWhatTheCleanerReleased() {
        long scope = tracker.beginScope();
        long first = tracker.malloc(100, STACK);
        tracker.malloc(200, STACK); // owned by something reachable
        tracker.endScope(scope);
        java.util.concurrent.atomic.AtomicBoolean cleaning = new java.util.concurrent.atomic.AtomicBoolean();
        tracker.referencesQuietWith(() -> cleaning.get() ? 0 : 1);
        // like a Cleaner: the first collection frees 100 B 20 ms later on another thread, busy meanwhile
        Runnable gc = () -> {
            if (gcs.incrementAndGet() == 1) {
                cleaning.set(true);
                cleanerThread.schedule(() -> {
                    tracker.free(first);
                    cleaning.set(false);
                }, 20, TimeUnit.MILLISECONDS);
            }
        };

        Figures figures = new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(200);
        assertThat(gcs).as("a second collection: what the cleaner released may own more").hasValue(2);
    }

    @Test
    void aFreeBetweenTwoQuietAnswersIsNotQuietYet() {
        long scope = tracker.beginScope();
        long first = tracker.malloc(100, STACK);
        tracker.malloc(200, STACK);
        tracker.endScope(scope);
        // a cleaner told of its reference but not yet scheduled looks idle: it frees between two answers
        AtomicInteger asked = new AtomicInteger();
        tracker.referencesQuietWith(() -> {
            if (asked.incrementAndGet() == 3) { // the second answer after the first collection
                tracker.free(first);
            }
            return 1;
        });

        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(200);
        assertThat(gcs).hasValue(2);
    }

    @Test
    void aThreadThatNeverLooksIdleIsJudgedByLiveBytesAfterTheBound() {
        tracker.referencesQuietWith(() -> 0);
        long scope = scopeWith(1000);

        long start = System.nanoTime();
        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(figures.liveBytes()).isEqualTo(1000);
        assertThat(gcs).hasValue(1);
        assertThat(tookMillis).isBetween(GcSettler.QUIET_BOUND.toMillis(), 4000L);
    }

    @Test
    void aTrackerThatStopsBeingAbleToTellFallsBackToTheFixedSchedule() {
        AtomicInteger asked = new AtomicInteger();
        tracker.referencesQuietWith(() -> asked.incrementAndGet() == 1 ? 1 : -1);
        long scope = scopeWith(1000);

        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(1000);
        assertThat(gcs.get()).isEqualTo(1 + GcSettler.MIN_GCS);
    }

    @Test
    void theExactModeKeepsTheFixedScheduleForItsObjectFreeEventsWithoutAskingTheJvm() {
        AtomicInteger asked = new AtomicInteger();
        tracker.referencesQuietWith(() -> {
            asked.incrementAndGet();
            return 1;
        });
        FakeManagedTracker managed = FakeManagedTracker.exact(tracker);
        long scope = tracker.beginScope();
        managed.allocate(700_000, 3, STACK, List.of());
        tracker.endScope(scope);

        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope);

        assertThat(gcs.get()).isEqualTo(GcSettler.MIN_GCS);
        assertThat(asked).hasValue(0);
    }

    @Test
    void sampledHeapObjectsWithQuietReferencesTakeOneCollectionAndNoWait() {
        AtomicInteger asked = new AtomicInteger();
        tracker.referencesQuietWith(() -> {
            asked.incrementAndGet();
            return 1;
        });
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long scope = tracker.beginScope();
        managed.allocate(700_000, 3, STACK, List.of());
        tracker.endScope(scope);

        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope);

        assertThat(gcs).hasValue(1);
        // asked whether it can tell, then once after the collection: nothing native, no polls
        assertThat(asked).hasValue(2);
    }

    @Test
    void anActionThatFreesNothingYetIsFollowedByAnotherCollection() {
        long scope = tracker.beginScope();
        long inner = tracker.malloc(100, STACK);
        tracker.malloc(200, STACK); // owned by something reachable
        tracker.endScope(scope);
        // a finalizer chain: the first collection runs a finalizer that frees nothing but drops an
        // object whose cleaner the second collection runs; the finalizer thread is busy meanwhile
        AtomicInteger acting = new AtomicInteger();
        tracker.referencesQuietWith(() -> acting.get() > 0 ? NativeTracker.REFERENCES_ACTING : NativeTracker.REFERENCES_QUIET);
        List<Long> collectedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable gc = () -> {
            collectedAt.add(System.nanoTime());
            int n = gcs.incrementAndGet();
            if (n <= 2) {
                acting.incrementAndGet();
                cleanerThread.schedule(() -> {
                    if (n == 2) {
                        tracker.free(inner);
                    }
                    acting.decrementAndGet();
                }, 3, TimeUnit.MILLISECONDS);
            }
        };

        // settled for an assertion inside the test: the scope still runs
        Figures figures = new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, ManagedTracker.switchedOff(), scope, false, true);

        assertThat(figures.liveBytes()).isEqualTo(200);
        assertThat(gcs).as("finalizer, then cleaner, then a collection that changes nothing").hasValue(3);
        for (int i = 1; i < collectedAt.size(); i++) {
            assertThat(collectedAt.get(i) - collectedAt.get(i - 1))
                    .as("collections spaced so that the JVM posts the last one's ObjectFree events first")
                    .isGreaterThanOrEqualTo(GcSettler.COLLECTION_SPACING.toNanos());
        }
    }

    @Test
    void anActionTooShortToBeSeenRunningIsToldByTheReferenceThreadsWork() {
        long scope = tracker.beginScope();
        long inner = tracker.malloc(100, STACK);
        tracker.malloc(200, STACK);
        tracker.endScope(scope);
        tracker.referencesQuietWith(() -> NativeTracker.REFERENCES_QUIET); // never seen running
        Runnable gc = () -> {
            int n = gcs.incrementAndGet();
            if (n == 1) {
                tracker.referenceWork().addAndGet(40_000); // a finalize() ran and dropped an owner
            } else if (n == 2) {
                tracker.free(inner); // whose cleaner the second collection runs
            }
        };

        Figures figures = new GcSettler(Duration.ofSeconds(5), gc).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(200);
        assertThat(gcs).hasValue(3);
    }

    @Test
    void actionsThatNeverFreeAnythingStopAfterABoundedNumberOfCollections() {
        tracker.referencesQuietWith(new java.util.function.IntSupplier() {
            private int n;

            @Override
            public int getAsInt() {
                // quiet only every third answer: each wait ends quiet, but an action ran in it
                return ++n % 3 == 0 ? NativeTracker.REFERENCES_QUIET : NativeTracker.REFERENCES_ACTING;
            }
        });
        long scope = scopeWith(1000);

        Figures figures = new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, scope);

        assertThat(figures.liveBytes()).isEqualTo(1000);
        assertThat(gcs.get()).isEqualTo(1 + GcSettler.MAX_IDLE_ACTIONS);
    }

    @Test
    void sampledHeapObjectsBelowTheResolutionNeedNoCollection() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);

        // one sample: no site of it can be judged a leak
        assertThat(collectionsToSettle(managed, scopeWith(managed, 0, 262_160))).isZero();
    }

    @Test
    void theRepeatModeCollectsForSampledHeapObjectsBelowTheResolution() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long scope = scopeWith(managed, 0, 262_160);

        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope, true);

        assertThat(gcs).hasValue(1);
    }

    @Test
    void sampledHeapObjectsAtTheResolutionGetTheirCollection() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long resolution = ManagedTracker.resolution(managed.samplingInterval());

        assertThat(collectionsToSettle(managed, scopeWith(managed, 0, resolution))).isEqualTo(1);
    }

    @Test
    void nativeMemoryLiveBesideSampledHeapObjectsBelowTheResolutionIsStillSettled() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);

        assertThat(collectionsToSettle(managed, scopeWith(managed, 100, 262_160))).isEqualTo(GcSettler.MIN_GCS);
    }

    @Test
    void sampledHeapObjectsOfSitesEachBelowTheResolutionNeedNoCollection() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long scope = tracker.beginScope();
        // two samples, 512 KiB in all, above the resolution; but at two sites, each of them below
        managed.allocate(262_160, 1, STACK, List.of());
        managed.allocate(262_160, 1, List.of(new Frame(Frame.Kind.JAVA, "com.acme.Cache.put", "", "Cache.java", 41)), List.of());
        tracker.endScope(scope);

        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope);

        assertThat(gcs).hasValue(0);
    }

    @Test
    void twoSamplesOfOneSiteAboveTheResolutionGetTheirCollection() {
        FakeManagedTracker managed = FakeManagedTracker.sampled(tracker);
        long scope = tracker.beginScope();
        managed.allocate(262_160, 1, STACK, List.of());
        managed.allocate(262_160, 1, STACK, List.of()); // the same site: 512 KiB can be judged
        tracker.endScope(scope);

        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope);

        assertThat(gcs).hasValue(1);
    }

    /**
     * A scope that ends with {@code nativeBytes} native bytes and {@code heapBytes} of sampled
     * heap objects of one site live (0: none), no longer the calling thread's.
     */
    private long scopeWith(FakeManagedTracker managed, long nativeBytes, long heapBytes) {
        long scope = tracker.beginScope();
        if (nativeBytes > 0) {
            tracker.malloc(nativeBytes, STACK);
        }
        if (heapBytes > 0) {
            managed.allocate(heapBytes, Math.max(1, heapBytes / 262_144), STACK, List.of());
        }
        tracker.endScope(scope);
        return scope;
    }

    /** The collections settling the scope for a verdict outside the repeat mode takes. */
    private int collectionsToSettle(FakeManagedTracker managed, long scope) {
        new GcSettler(Duration.ofSeconds(5), gcs::incrementAndGet).settle(tracker, managed, scope);
        return gcs.get();
    }

    /** A scope that has {@code live} bytes live and is no longer the calling thread's. */
    private long scopeWith(long live) {
        long scope = tracker.beginScope();
        if (live > 0) {
            tracker.malloc(live, STACK);
        }
        tracker.endScope(scope);
        return scope;
    }

}
