package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.report.CaptureSink;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * The seam between the extension and what lies outside it: the native and managed trackers and
 * the capture sink. Production code asks {@link #tracker()}, {@link #managedTracker()} and
 * {@link #captureSink()}; unit tests swap them with {@link #override} (fake trackers, a recording
 * sink) and restore them by closing the returned handle. Overrides are process-wide, so tests that
 * use them must not run in parallel.
 *
 * <p>A test that overrides only the native tracker gets {@link ManagedTracker#switchedOff()} for the managed
 * domain: the real managed tracker works on the real agent's scopes, which a fake native tracker
 * does not create.
 */
@API(status = INTERNAL, since = "0.1")
public final class Backends {

    private static volatile NativeTracker trackerOverride;
    private static volatile ManagedTracker managedOverride;
    private static volatile CaptureSink sinkOverride;

    private Backends() {
    }

    /** The tracker for new scopes: the process-wide agent unless a test replaced it. */
    public static NativeTracker tracker() {
        NativeTracker override = trackerOverride;
        return override != null ? override : NativeTracker.instance();
    }

    /** The managed-heap tracker over the same scopes as {@link #tracker()}. */
    static ManagedTracker managedTracker() {
        ManagedTracker override = managedOverride;
        if (override != null) {
            return override;
        }
        return trackerOverride != null ? ManagedTracker.switchedOff() : ManagedTracker.instance();
    }

    static CaptureSink captureSink() {
        CaptureSink override = sinkOverride;
        return override != null ? override : CaptureSink.REPORT_WRITER;
    }

    /** Replaces the native tracker and sink (no managed domain) until the handle is closed; for tests only. */
    public static Restore override(NativeTracker tracker, CaptureSink sink) {
        return override(tracker, ManagedTracker.switchedOff(), sink);
    }

    /** Replaces both trackers and the sink until the handle is closed; for tests only. */
    public static Restore override(NativeTracker tracker, ManagedTracker managed, CaptureSink sink) {
        Restore previous = new Restore(trackerOverride, managedOverride, sinkOverride);
        trackerOverride = Objects.requireNonNull(tracker, "tracker");
        managedOverride = Objects.requireNonNull(managed, "managed");
        sinkOverride = Objects.requireNonNull(sink, "sink");
        return previous;
    }

    /** Puts back what was in place before {@link #override}. */
    public static final class Restore implements AutoCloseable {
        private final NativeTracker tracker;
        private final ManagedTracker managed;
        private final CaptureSink sink;

        private Restore(NativeTracker tracker, ManagedTracker managed, CaptureSink sink) {
            this.tracker = tracker;
            this.managed = managed;
            this.sink = sink;
        }

        @Override
        public void close() {
            trackerOverride = tracker;
            managedOverride = managed;
            sinkOverride = sink;
        }
    }
}
