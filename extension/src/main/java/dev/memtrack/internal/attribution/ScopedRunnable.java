package dev.memtrack.internal.attribution;

/**
 * A Runnable that runs in the scope of the thread that submitted it, then gives the worker its
 * own scope back. Used where the executor adapts the caller's object into a task of its own
 * anyway (the schedule methods) or for plain Runnables given to ThreadPoolExecutor.execute.
 */
final class ScopedRunnable implements Runnable {

    private final Runnable task;
    private final long scope;

    ScopedRunnable(Runnable task, long scope) {
        this.task = task;
        this.scope = scope;
    }

    @Override
    public void run() {
        long previous = ScopeContext.attachQuietly(scope);
        try {
            task.run();
        } finally {
            ScopeContext.attachQuietly(previous);
        }
    }

    /** The submitted task's text: executors put it in rejection messages and thread dumps. */
    @Override
    public String toString() {
        return task.toString();
    }
}
