package dev.memtrack.internal.extension;

import dev.memtrack.internal.agent.NativeTracker;
import java.util.Objects;

/**
 * The seam between the extension and what lies outside it: the native tracker and the capture
 * sink. Production code asks {@link #tracker()} and {@link #captureSink()}; unit tests swap both
 * with {@link #override} (a fake tracker, a recording sink) and restore them by closing the
 * returned handle. Overrides are process-wide, so tests that use them must not run in parallel.
 */
final class Backends {

    private static volatile NativeTracker trackerOverride;
    private static volatile CaptureSink sinkOverride;

    private Backends() {
    }

    /** The tracker for new scopes: the process-wide agent unless a test replaced it. */
    static NativeTracker tracker() {
        NativeTracker override = trackerOverride;
        return override != null ? override : NativeTracker.instance();
    }

    static CaptureSink captureSink() {
        CaptureSink override = sinkOverride;
        return override != null ? override : CaptureSink.REPORT_WRITER;
    }

    /** Replaces tracker and sink until the handle is closed; for tests only. */
    static Restore override(NativeTracker tracker, CaptureSink sink) {
        Restore previous = new Restore(trackerOverride, sinkOverride);
        trackerOverride = Objects.requireNonNull(tracker, "tracker");
        sinkOverride = Objects.requireNonNull(sink, "sink");
        return previous;
    }

    /** Puts back what was in place before {@link #override}. */
    static final class Restore implements AutoCloseable {
        private final NativeTracker tracker;
        private final CaptureSink sink;

        private Restore(NativeTracker tracker, CaptureSink sink) {
            this.tracker = tracker;
            this.sink = sink;
        }

        @Override
        public void close() {
            trackerOverride = tracker;
            sinkOverride = sink;
        }
    }
}
