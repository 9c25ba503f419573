package dev.memtrack.internal.attribution;

import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;

/**
 * The objects the inlined advice finds in the system properties and calls. The advice lives in
 * bootstrap classes that cannot see memtrack, so it knows these only as {@code java.util.function}
 * types under the keys below.
 *
 * <p>They are published while at least one scope is entered ({@link ScopeContext#enter}) and
 * withdrawn when the last one exits: with no test tracked, every instrumented method pays one
 * property lookup and nothing else. On a thread without a scope the hooks read one thread-local
 * and return. A hook never throws: a failure is recorded for one warning and the task runs as if
 * memtrack were absent.
 *
 * <p>Withdrawing is safe while registered tasks or wrapped ones are still pending: when no scope
 * is entered, every scope they carry has ended, and an ended scope records nothing.
 */
final class PropagationHooks {

    static final String EXECUTE = "dev.memtrack.attribution.execute";
    static final String WRAP = "dev.memtrack.attribution.wrap";
    static final String REGISTER = "dev.memtrack.attribution.register";
    static final String RUN = "dev.memtrack.attribution.run";
    static final String DETACH = "dev.memtrack.attribution.detach";
    static final String VIRTUAL_START = "dev.memtrack.attribution.virtual-start";
    static final String VIRTUAL_MOUNT = "dev.memtrack.attribution.virtual-mount";

    /** Tasks queued by a thread with a scope (FutureTasks given to a ThreadPoolExecutor, ForkJoinTasks pushed to a pool). */
    static final WeakScopeMap TASKS = new WeakScopeMap();

    private static boolean installed;
    private static int enteredScopes;
    private static boolean published;

    private PropagationHooks() {
    }

    /** The transformation is in place: publish now if a scope is already entered. */
    static synchronized void installed() {
        installed = true;
        update();
    }

    static synchronized void scopeEntered() {
        enteredScopes++;
        update();
    }

    static synchronized void scopeExited() {
        if (enteredScopes > 0) {
            enteredScopes--;
        }
        update();
    }

    /**
     * Loads and initialises every class a hook may touch, before any hook can run: a class
     * first loaded from inside an executor's internals or a class-load hook is a needless risk.
     */
    static void preload() {
        Object probe = new Object();
        TASKS.putIfAbsent(probe, 1);
        TASKS.remove(probe);
        ScopeContext.current();
        Wrap.wrap((Runnable) () -> { }, 1);
        Wrap.wrap((Callable<Object>) () -> null, 1);
        new Execute();
        new Register();
        new Run();
        new Detach();
        new VirtualStart();
        new VirtualMount();
        PropagationFailures.first();
    }

    private static void update() {
        boolean wanted = installed && enteredScopes > 0;
        Properties properties = System.getProperties();
        // a test may have replaced the system properties (System.setProperties) since we published
        if (wanted == published && (!wanted || properties.get(EXECUTE) != null)) {
            return;
        }
        if (wanted) {
            properties.put(EXECUTE, new Execute());
            properties.put(WRAP, new Wrap());
            properties.put(REGISTER, new Register());
            properties.put(RUN, new Run());
            properties.put(DETACH, new Detach());
            properties.put(VIRTUAL_START, new VirtualStart());
            properties.put(VIRTUAL_MOUNT, new VirtualMount());
        } else {
            for (String key : new String[] {EXECUTE, WRAP, REGISTER, RUN, DETACH, VIRTUAL_START, VIRTUAL_MOUNT}) {
                properties.remove(key);
            }
        }
        published = wanted;
    }

    /**
     * ThreadPoolExecutor.execute: a FutureTask (what submit and invokeAll queue) keeps its
     * identity, registered for {@link Run} in FutureTask.run, so that afterExecute, remove,
     * purge and shutdownNow see the caller's future; any other Runnable is wrapped.
     */
    static final class Execute implements UnaryOperator<Object> {
        @Override
        public Object apply(Object task) {
            try {
                long scope = ScopeContext.current();
                if (scope == 0 || task == null) {
                    return task;
                }
                if (task instanceof FutureTask) {
                    TASKS.putIfAbsent(task, scope);
                    return task;
                }
                return Wrap.wrap(task, scope);
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("ThreadPoolExecutor.execute", e);
                return task;
            }
        }
    }

    /** The schedule methods: the Runnable or Callable is wrapped before the executor adapts it into its own task. */
    static final class Wrap implements UnaryOperator<Object> {
        @Override
        public Object apply(Object task) {
            try {
                long scope = ScopeContext.current();
                return scope == 0 || task == null ? task : wrap(task, scope);
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("scheduling a task", e);
                return task;
            }
        }

        static Object wrap(Object task, long scope) {
            if (task instanceof ScopedRunnable || task instanceof ScopedCallable) {
                return task;
            }
            if (task instanceof Runnable) {
                return new ScopedRunnable((Runnable) task, scope);
            }
            if (task instanceof Callable) {
                return new ScopedCallable<>((Callable<?>) task, scope);
            }
            return task;
        }
    }

    /** ForkJoinPool work-queue pushes (submit, execute, invoke, fork): the task keeps its identity. */
    static final class Register implements Consumer<Object> {
        @Override
        public void accept(Object task) {
            try {
                long scope = ScopeContext.current();
                if (scope != 0 && task != null) {
                    TASKS.putIfAbsent(task, scope);
                }
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("ForkJoinPool submission", e);
            }
        }
    }

    /** ForkJoinTask.doExec and FutureTask.run: a registered task runs in its scope, then the runner's comes back. */
    static final class Run implements ToLongFunction<Object>, LongConsumer {
        /** @return the runner's previous scope plus one, or 0 when nothing was changed */
        @Override
        public long applyAsLong(Object task) {
            try {
                long scope = TASKS.remove(task);
                return scope == 0 ? 0 : ScopeContext.attachQuietly(scope) + 1;
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("running a task", e);
                return 0;
            }
        }

        @Override
        public void accept(long token) {
            ScopeContext.attachQuietly(token - 1);
        }
    }

    /** ThreadPoolExecutor.runWorker, ForkJoinPool.runWorker, the JDK 25 delay scheduler: the worker starts without a scope. */
    static final class Detach implements Runnable {
        @Override
        public void run() {
            ScopeContext.detachWorker();
        }
    }

    /** VirtualThread.start: the virtual thread takes the starting thread's scope. */
    static final class VirtualStart implements Consumer<Object> {
        @Override
        public void accept(Object virtualThread) {
            try {
                ScopeContext.virtualThreadStarting((Thread) virtualThread);
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("VirtualThread.start", e);
            }
        }
    }

    /** VirtualThread.runContinuation, on the carrier: the virtual thread's scope while it is mounted. */
    static final class VirtualMount implements ToLongFunction<Object>, ObjLongConsumer<Object> {
        /** @return a token for {@link #accept}; 0 if nothing was changed */
        @Override
        public long applyAsLong(Object virtualThread) {
            try {
                return ScopeContext.mounting((Thread) virtualThread);
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("mounting a virtual thread", e);
                return 0;
            }
        }

        @Override
        public void accept(Object virtualThread, long token) {
            try {
                ScopeContext.unmounted((Thread) virtualThread, token);
            } catch (RuntimeException | Error e) {
                PropagationFailures.record("unmounting a virtual thread", e);
            }
        }
    }
}
