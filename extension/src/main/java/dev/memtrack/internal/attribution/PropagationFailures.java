package dev.memtrack.internal.attribution;

import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The first failure of a hook or of a class rewrite, kept for one warning. Hooks run inside the
 * JDK's executors and class loading, where logging could itself submit work or load classes, so
 * they only record; the warning is written later from the extension's own calls
 * ({@link ScopeContext#exit}, {@link ScopePropagation#ensureInstalled}).
 */
final class PropagationFailures {

    static final Logger LOG = Logger.getLogger("dev.memtrack");

    private static final AtomicReference<Failure> FIRST = new AtomicReference<>();
    private static volatile boolean reported;

    private PropagationFailures() {
    }

    /** Remembers the first failure; never throws. */
    static void record(String where, Throwable failure) {
        FIRST.compareAndSet(null, new Failure(where, failure));
    }

    /** Writes the one warning if something failed and it was not written yet. */
    static void reportPending() {
        Failure failure = FIRST.get();
        if (failure == null || reported) {
            return;
        }
        synchronized (PropagationFailures.class) {
            if (reported) {
                return;
            }
            reported = true;
        }
        LOG.log(Level.WARNING, "memtrack: attribution of executor tasks and virtual threads failed in "
                + failure.where() + " (" + failure.cause() + "); the affected tasks run unchanged and are not attributed"
                + " to the test that submitted them. Please report this with the JDK version ("
                + Runtime.version() + ").", failure.cause());
    }

    /** For tests: the first failure, or null. */
    static Throwable first() {
        Failure failure = FIRST.get();
        return failure == null ? null : failure.cause();
    }

    private record Failure(String where, Throwable cause) {
    }
}
