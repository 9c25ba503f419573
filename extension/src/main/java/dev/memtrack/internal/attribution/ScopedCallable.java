package dev.memtrack.internal.attribution;

import java.util.concurrent.Callable;

/** The Callable counterpart of {@link ScopedRunnable}. */
final class ScopedCallable<V> implements Callable<V> {

    private final Callable<V> task;
    private final long scope;

    ScopedCallable(Callable<V> task, long scope) {
        this.task = task;
        this.scope = scope;
    }

    @Override
    public V call() throws Exception {
        long previous = ScopeContext.attachQuietly(scope);
        try {
            return task.call();
        } finally {
            ScopeContext.attachQuietly(previous);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
