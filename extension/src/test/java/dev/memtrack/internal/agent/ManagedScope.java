package dev.memtrack.internal.agent;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.memtrack.internal.model.Figures;

/**
 * A tracked scope on the calling thread, driven the way the extension drives one: begin (native)
 * + meter, run, meter + end, GC and settle, then query. For the agent tests only.
 */
final class ManagedScope implements AutoCloseable {

    final NativeTracker nativeTracker = NativeTracker.instance();
    final ManagedTracker managed = ManagedTracker.instance();
    final long id;
    private boolean ended;

    private ManagedScope() {
        assertTrue(nativeTracker.isAvailable(), nativeTracker::unavailableReason);
        assertTrue(managed.isAvailable(), managed::unavailableReason);
        id = nativeTracker.beginScope();
        assertNotEquals(0, id);
        managed.meterEnter(id);
    }

    static ManagedScope begin() {
        return new ManagedScope();
    }

    /** Ends attribution, collects garbage and waits for the JVM's ObjectFree events. */
    ManagedScope endAndSettle() {
        end();
        settle();
        return this;
    }

    ManagedScope end() {
        if (!ended) {
            managed.meterExit(id);
            nativeTracker.endScope(id);
            ended = true;
        }
        return this;
    }

    void settle() {
        for (int i = 0; i < 2; i++) {
            System.gc();
            managed.settle();
        }
    }

    Figures figures() {
        return managed.figures(id);
    }

    @Override
    public void close() {
        end();
        nativeTracker.releaseScope(id);
    }
}
