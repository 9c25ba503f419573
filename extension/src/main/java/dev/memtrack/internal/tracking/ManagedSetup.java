package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import org.apiguardian.api.API;

/**
 * Picks the managed tracker of a test and applies the {@code memtrack.managed.*} settings to it.
 * Sampling interval and peak resolution are process-wide engine settings: a test that configures
 * them sets them, and a later test that does not puts the engine's own values back, so one
 * launcher's configuration does not leak into the next (several EngineTestKit runs in one JVM).
 * Concurrent tests share whatever is in force. Settings are applied before the scope begins:
 * switching the interval allocates on the calling thread until it takes a sample.
 */
@API(status = INTERNAL, since = "0.1")
public final class ManagedSetup {

    /**
     * The engine's default large-object threshold (docs/managed-heap.md), unless the JVM was
     * started with another through the alias {@code memtrack.heap.largeObject} (docs/configuration.md).
     */
    static final long ENGINE_LARGE_OBJECT_BYTES = Long.getLong("memtrack.heap.largeObject", 1L << 20);

    private static ManagedTracker seen;
    private static Integer engineInterval;
    private static long appliedResolution = -1;

    private ManagedSetup() {
    }

    /** The tracker for a test with these settings; {@link ManagedTracker#switchedOff()} when the heap is not measured. */
    public static synchronized ManagedTracker prepare(TrackingSettings.Managed settings) {
        if (!settings.enabled()) {
            return ManagedTracker.switchedOff();
        }
        ManagedTracker managed = Backends.managedTracker();
        if (!managed.isAvailable()) {
            return managed;
        }
        if (managed != seen) {
            // first test with this tracker (unit tests swap fakes in): its current values are the engine's
            seen = managed;
            engineInterval = managed.samplingInterval();
            appliedResolution = -1;
        }
        int interval = settings.samplingInterval().orElse(engineInterval);
        if (managed.samplingInterval() != interval) {
            managed.setSamplingInterval(interval);
        }
        long resolution = settings.peakResolution().orElse(ENGINE_LARGE_OBJECT_BYTES);
        if (resolution != appliedResolution && (appliedResolution != -1 || resolution != ENGINE_LARGE_OBJECT_BYTES)) {
            managed.setLargeObjectThreshold(resolution);
        }
        appliedResolution = resolution;
        return managed;
    }
}
