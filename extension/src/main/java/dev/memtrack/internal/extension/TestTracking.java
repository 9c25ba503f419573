package dev.memtrack.internal.extension;

import dev.memtrack.internal.attribution.ProcessWideMode;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import dev.memtrack.internal.verdict.Measurement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The state of one tracked test invocation, kept in the method's ExtensionContext store. The
 * native scope is begun and ended on the test thread around the test method; JUnit closes this
 * resource when the method's context ends, which releases the scope.
 *
 * <p>Implements both JUnit's {@code CloseableResource} (closed by JUnit 5.10–5.12) and
 * {@link AutoCloseable} (closed by 5.13+ and 6.x, which deprecated the former and close
 * an object implementing both only once).
 */
@SuppressWarnings("deprecation")
final class TestTracking implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final NativeTracker tracker;
    private final TrackingSettings settings;
    private final TestIdentity identity;
    private final ReportPaths paths;
    private final Timeline timeline = new Timeline();
    private final List<String> failures = new CopyOnWriteArrayList<>();

    private volatile long scope;
    private volatile boolean begun;
    private volatile boolean ended;
    private volatile boolean released;
    private volatile Figures finalFigures = Figures.ZERO;
    private TestTracking previousOnThread;
    private TimelineSampler sampler;
    private long startEpochMillis;
    private long startNanos;
    private long durationNanos;

    TestTracking(NativeTracker tracker, TrackingSettings settings, TestIdentity identity) {
        this.tracker = tracker;
        this.settings = settings;
        this.identity = identity;
        this.paths = ReportPaths.of(settings.reportDir(), identity);
    }

    /** Right before the test method runs, on its thread. */
    synchronized void begin() {
        previousOnThread = ActiveTests.register(this);
        try {
            startEpochMillis = System.currentTimeMillis();
            startNanos = System.nanoTime();
            ThreadsAndTasks.prepare(tracker);
            // last, so that nothing memtrack does before the test is charged to it
            scope = tracker.beginScope();
            ThreadsAndTasks.entered(tracker, scope);
            if (settings.processWide()) {
                ProcessWideMode.begin(tracker, scope);
            }
            begun = true;
        } catch (RuntimeException | Error e) {
            ActiveTests.unregister(this, previousOnThread);
            throw e;
        }
        if (isMeasuring()) {
            timeline.mark(new TimelinePoint(0, 0, 0));
            sampler = TimelineSampler.start(tracker, scope, startNanos, timeline);
        }
    }

    /** Right after the test method returned or threw, on its thread. */
    synchronized void end() {
        if (!begun || ended) {
            return;
        }
        try {
            if (settings.processWide()) {
                ProcessWideMode.end(tracker);
            }
            tracker.endScope(scope);
            ThreadsAndTasks.exited(tracker);
        } finally {
            ended = true;
            durationNanos = System.nanoTime() - startNanos;
            stopSampling();
            ActiveTests.unregister(this, previousOnThread);
        }
        if (isMeasuring()) {
            timeline.mark(new TimelinePoint(TimeUnit.NANOSECONDS.toMillis(durationNanos), tracker.figures(scope).liveBytes(), 0));
        }
    }

    /** For assertions inside the running test: settles first when asked, then reads the scope so far. */
    Measurement measureSoFar(boolean settle) {
        if (settle && isMeasuring()) {
            new GcSettler(settings.settleTimeout()).settle(tracker, scope);
        }
        return Measurement.ofNative(tracker.report(scope));
    }

    /** After the test method: waits for GC and cleaners to settle and reads the final report. */
    Measurement finish() {
        if (isMeasuring()) {
            new GcSettler(settings.settleTimeout()).settle(tracker, scope);
        }
        ScopeReport nativeReport = tracker.report(scope);
        finalFigures = nativeReport.figures();
        // The managed-heap ScopeReport joins here, with the combined peak: new Measurement(List.of(native, managed), peak)
        return Measurement.ofNative(nativeReport);
    }

    /** Native figures so far: zeros before the method, the final ones once the scope is released. */
    Figures nativeFigures() {
        if (!begun) {
            return Figures.ZERO;
        }
        return released ? finalFigures : tracker.figures(scope);
    }

    TestCapture capture(Measurement measurement) {
        return new TestCapture(identity.uniqueId(), identity.testClass(), identity.testMethod(), identity.displayName(),
                startEpochMillis, durationNanos, measurement.reports(), timeline.points(), failures);
    }

    MessageContext messageContext() {
        return new MessageContext(settings.sitesShown(), paths.displayHtml(), identity.trimmer());
    }

    /** A verdict that failed the test, for the capture. */
    void recordFailure(String message) {
        failures.add(message);
    }

    boolean hasBegun() {
        return begun;
    }

    boolean isTrackerAvailable() {
        return tracker.isAvailable();
    }

    String unavailableReason() {
        return tracker.unavailableReason();
    }

    NativeTracker tracker() {
        return tracker;
    }

    TrackingSettings settings() {
        return settings;
    }

    TestIdentity identity() {
        return identity;
    }

    ReportPaths paths() {
        return paths;
    }

    /** Releases the native scope; called by JUnit when the test's context closes. Idempotent. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        stopSampling();
        if (!begun || scope == 0) {
            released = true;
            return;
        }
        try {
            if (!ended) {
                end();
            }
            finalFigures = tracker.figures(scope);
            tracker.releaseScope(scope);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("release the native scope of " + identity.element(), e);
        } finally {
            released = true;
        }
    }

    private boolean isMeasuring() {
        return begun && scope != 0 && tracker.isAvailable();
    }

    private void stopSampling() {
        if (sampler != null) {
            sampler.stop();
            sampler = null;
        }
    }
}
