package dev.memtrack.internal.agent;

/** Builds the process-wide {@link ManagedTracker} once, over the agent NativeAgentLoader loaded. */
final class ManagedTrackerLoader {

    private static volatile ManagedTracker tracker;

    private ManagedTrackerLoader() {
    }

    static ManagedTracker tracker() {
        ManagedTracker t = tracker;
        if (t == null) {
            synchronized (ManagedTrackerLoader.class) {
                t = tracker;
                if (t == null) {
                    t = create();
                    tracker = t;
                }
            }
        }
        return t;
    }

    private static ManagedTracker create() {
        MemtrackLibrary lib = NativeAgentLoader.library();
        if (lib == null) {
            return ManagedTracker.unavailable("the memtrack agent is not loaded: "
                    + NativeTracker.instance().unavailableReason());
        }
        try {
            return ManagedTrackerJna.create(lib);
        } catch (RuntimeException | LinkageError e) {
            return ManagedTracker.unavailable("managed-heap tracking could not start: " + e);
        }
    }
}
