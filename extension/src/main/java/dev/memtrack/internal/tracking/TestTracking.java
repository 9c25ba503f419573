package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import dev.memtrack.internal.report.CaptureSink;
import dev.memtrack.internal.report.ReportHtml;
import dev.memtrack.internal.verdict.Measurement;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * The state of one tracked test invocation, kept in the method's ExtensionContext store through
 * {@code junit.TeardownVerdict}. The native scope is begun and ended on the test thread around the test
 * method; {@link #close()}, after the verdict, releases the scope.
 */
@API(status = INTERNAL, since = "0.1")
public final class TestTracking implements AutoCloseable {

    private final NativeTracker tracker;
    private final ManagedTracker managed;
    private final TrackingSettings settings;
    private final TestIdentity identity;
    private final ReportPaths paths;
    private final Timeline timeline = new Timeline();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private volatile TrackedScope scope;
    private volatile boolean begun;
    private volatile boolean ended;
    private volatile boolean released;
    private volatile Figures finalFigures = Figures.ZERO;
    private volatile Figures finalManagedFigures = Figures.ZERO;
    /** Objects it holds are not leaks; kept from the method's start until the scope is released. */
    private volatile Object testInstance;
    private TestTracking previousOnThread;
    private TimelineSampler sampler;
    private long startEpochMillis;
    private long startNanos;
    private long durationNanos;

    public TestTracking(NativeTracker tracker, TrackingSettings settings, TestIdentity identity) {
        this(tracker, ManagedTracker.switchedOff(), settings, identity);
    }

    public TestTracking(NativeTracker tracker, ManagedTracker managed, TrackingSettings settings, TestIdentity identity) {
        this.tracker = tracker;
        this.managed = managed;
        this.settings = settings;
        this.identity = identity;
        this.paths = ReportPaths.of(settings.reportDir(), identity);
    }

    /**
     * Right before the test method runs, on its thread.
     *
     * @param testInstance the test class instance (null for a static context): what it holds is not a leak
     */
    public synchronized void begin(Object testInstance) {
        this.testInstance = testInstance;
        previousOnThread = ActiveTests.register(this);
        try {
            startEpochMillis = System.currentTimeMillis();
            startNanos = System.nanoTime();
            // last, so that nothing memtrack does before the test is charged to it
            scope = TrackedScope.begin(tracker, managed, settings.processWide());
            begun = true;
        } catch (RuntimeException | Error e) {
            ActiveTests.unregister(this, previousOnThread);
            throw e;
        }
        if (isMeasuring()) {
            timeline.mark(new TimelinePoint(0, 0, 0));
        }
        // In process-wide mode every unscoped thread records into the test, the sampler's own
        // thread included: its points would be the test's heap (and a leak while the test runs).
        // Such a timeline has its first and last point only.
        if (isMeasuring() && !settings.processWide()) {
            sampler = TimelineSampler.start(tracker, managed, scope.id(), startNanos, timeline);
        }
    }

    /** Right after the test method returned or threw, on its thread. */
    public synchronized void end() {
        if (!begun || ended) {
            return;
        }
        try {
            scope.end();
        } finally {
            ended = true;
            durationNanos = System.nanoTime() - startNanos;
            stopSampling();
            ActiveTests.unregister(this, previousOnThread);
        }
        if (isMeasuring()) {
            timeline.mark(TimelineSampler.point(tracker, managed, scope.id(), durationNanos));
        }
    }

    /**
     * For assertions inside the running test, on its thread, called through {@link OwnWork} (the
     * thread is outside the scope meanwhile: settling, the walk and reading the reports are not the
     * test's allocations). With {@code leakCheck} (assertNoLeaks): settles, then runs the managed
     * leak check with the test instance and this thread excluded as roots (the running test's own
     * locals are on this thread's stack, so they are no leaks). Without it (assertPeakBelow): reads
     * the figures so far.
     */
    Measurement measureSoFar(boolean leakCheck) {
        if (!isMeasuring() || !leakCheck) {
            return scope.read(Measurements.LeakMode.NONE, null, null);
        }
        scope.settle(settings.settleTimeout());
        return scope.read(Measurements.LeakMode.SINGLE, testInstance, Thread.currentThread());
    }

    /**
     * After the test's teardown (the store's close, while the test instance is alive): waits
     * for GC, cleaners and the JVM's ObjectFree events to settle, checks managed leaks and reads the
     * final reports of both domains.
     */
    public Measurement finish() {
        if (isMeasuring()) {
            scope.settle(settings.settleTimeout());
        }
        Measurement measurement = scope.read(Measurements.LeakMode.SINGLE, testInstance, Thread.currentThread(),
                nativeLeakAllowed());
        Measurements.rememberLibraryRoots(measurement, testInstance, tracker);
        finalFigures = measurement.figures(Domain.NATIVE);
        finalManagedFigures = measurement.figures(Domain.MANAGED);
        return measurement;
    }

    /**
     * The native bytes the declared leak limits let stay live ({@link Long#MAX_VALUE} when no leak
     * limit is declared: a test that only measures never pays for the owner walk). A combined
     * limit counts the managed bytes still counted live against it (an upper bound of what the
     * managed leak check will call leaked), so the walk runs whenever the verdict might fail.
     */
    private long nativeLeakAllowed() {
        long allowed = Long.MAX_VALUE;
        for (DeclaredLimit limit : settings.limits()) {
            if (limit.attribute().kind() != VerdictKind.LEAK
                    || !limit.attribute().selection().includes(Domain.NATIVE)) {
                continue;
            }
            long bytes = limit.attribute().selection().isNarrowed() ? limit.bytes()
                    : Math.max(0, limit.bytes() - managedFigures().liveBytes());
            allowed = Math.min(allowed, bytes);
        }
        return allowed;
    }

    /** Native figures so far: zeros before the method, the final ones once the scope is released. */
    public Figures nativeFigures() {
        if (!begun) {
            return Figures.ZERO;
        }
        return released ? finalFigures : scope.nativeFigures();
    }

    /** Managed figures so far (zeros when the heap is not measured); the final ones once released. */
    public Figures managedFigures() {
        if (!begun || managed.measuresNothing()) {
            return Figures.ZERO;
        }
        return released ? finalManagedFigures : scope.managedFigures();
    }

    /** Why the managed heap is measured only in part or not at all, when it was meant to be; empty otherwise. */
    public java.util.Optional<String> managedUnavailableReason() {
        if (!settings.managed().enabled() || managed.isAvailable() || managed.isSwitchedOff()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(managed.unavailableReason());
    }

    public TestCapture capture(Measurement measurement) {
        if (isMeasuring() && !released) {
            // what the scope reached after the last point, up to the verdict's read of the peak
            // (a thread of the test still allocating since then is not in the figures judged)
            timeline.finish(Math.min(tracker.takePeak(scope.id()), measurement.combinedPeakBytes()));
        }
        return new TestCapture(identity.uniqueId(), identity.testClass(), identity.testMethod(), identity.displayName(),
                startEpochMillis, durationNanos, measurement.reports(), timeline.points(), failures,
                measurement.combinedPeakBytes());
    }

    /**
     * Writes the capture, and the HTML report and JSON figures where {@code memtrack.report.html}
     * and {@code memtrack.report.json} ask for them given whether the test failed.
     */
    public java.util.Optional<CaptureSink.WrittenFiles> write(TestCapture capture, boolean failed) throws java.io.IOException {
        return Backends.captureSink().write(capture, paths.reportDir(), settings.reportHtml().writes(failed),
                settings.reportJson().writes(failed));
    }

    MessageContext messageContext() {
        return new MessageContext(settings.sitesShown(), displayReport(), identity.trimmer());
    }

    /**
     * The report a failure names: a failed test gets its HTML report, unless
     * {@code memtrack.report.html=never}: then the capture is what exists.
     */
    public String displayReport() {
        return settings.reportHtml() == ReportHtml.NEVER ? ReportPaths.display(paths.capture()) : paths.displayHtml();
    }

    /** A verdict that failed the test, for the capture. */
    public void recordFailure(String message) {
        failures.add(message);
    }

    public boolean hasBegun() {
        return begun;
    }

    public boolean isTrackerAvailable() {
        return tracker.isAvailable();
    }

    public String unavailableReason() {
        return tracker.unavailableReason();
    }

    public NativeTracker tracker() {
        return tracker;
    }

    public ManagedTracker managed() {
        return managed;
    }

    /** The test instance while the method runs (null before, after release, or for a static context). */
    Object testInstance() {
        return testInstance;
    }

    public TrackingSettings settings() {
        return settings;
    }

    public TestIdentity identity() {
        return identity;
    }

    public ReportPaths paths() {
        return paths;
    }

    /** Releases the native scope; called after the verdict when the test's context closes. Idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        stopSampling();
        if (!begun || scope.id() == 0) {
            released = true;
            testInstance = null;
            return;
        }
        try {
            if (!ended) {
                end();
            }
            finalFigures = scope.nativeFigures();
            if (finalManagedFigures == Figures.ZERO && !managed.measuresNothing()) {
                finalManagedFigures = scope.managedFigures();
            }
            scope.release();
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("release the native scope of " + identity.element(), e);
        } finally {
            released = true;
            testInstance = null;
        }
    }

    private boolean isMeasuring() {
        return begun && scope.isMeasuring();
    }

    private void stopSampling() {
        if (sampler != null) {
            sampler.stop();
            sampler = null;
        }
    }
}
