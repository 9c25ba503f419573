package dev.memtrack.internal.attribution;

import java.util.function.Consumer;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The advice ByteBuddy inlines into the JDK's executor and virtual-thread classes. Rules for
 * every method here, because the code ends up inside bootstrap classes:
 * <ul>
 *   <li>only java.base types: the hook is looked up in the system properties under a
 *       compile-time-constant key (javac inlines it) and called through a
 *       {@code java.util.function} interface ({@link PropagationHooks} says which);</li>
 *   <li>no lambdas, string concatenation or other invokedynamic, no fields, no helper methods:
 *       retransformation may not add members;</li>
 *   <li>{@code suppress = Throwable.class}: whatever happens, the JDK method runs as written.</li>
 * </ul>
 * With no scope entered anywhere the keys are absent and each advice costs one map lookup.
 */
@SuppressWarnings({"unchecked", "rawtypes"})
final class PropagationAdvice {

    private PropagationAdvice() {
    }

    /** ThreadPoolExecutor.execute(Runnable): registers a FutureTask or wraps the Runnable. */
    static final class Execute {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            Object hook = System.getProperties().get(PropagationHooks.EXECUTE);
            if (hook != null) {
                task = (Runnable) ((UnaryOperator) hook).apply(task);
            }
        }
    }

    /** The schedule methods: wraps the Runnable or Callable in the first parameter. */
    static final class Wrap {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object task) {
            Object hook = System.getProperties().get(PropagationHooks.WRAP);
            if (hook != null) {
                task = ((UnaryOperator) hook).apply(task);
            }
        }
    }

    /** Work-queue pushes and delayed-task scheduling of ForkJoinPool: registers the task in the first parameter. */
    static final class Register {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            Object hook = System.getProperties().get(PropagationHooks.REGISTER);
            if (hook != null) {
                ((Consumer) hook).accept(task);
            }
        }
    }

    /** ForkJoinTask.doExec and FutureTask.run: the registered scope around the task's body. */
    static final class Run {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This Object task, @Advice.Local("memtrackHook") Object hook) {
            hook = System.getProperties().get(PropagationHooks.RUN);
            return hook == null ? 0L : ((ToLongFunction) hook).applyAsLong(task);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long token, @Advice.Local("memtrackHook") Object hook) {
            if (token != 0L) {
                ((LongConsumer) hook).accept(token);
            }
        }
    }

    /** The run loops of pool workers: the worker starts without a scope. */
    static final class Detach {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            Object hook = System.getProperties().get(PropagationHooks.DETACH);
            if (hook != null) {
                ((Runnable) hook).run();
            }
        }
    }

    /** VirtualThread.start(ThreadContainer): the new virtual thread takes the starter's scope. */
    static final class VirtualStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object virtualThread) {
            Object hook = System.getProperties().get(PropagationHooks.VIRTUAL_START);
            if (hook != null) {
                ((Consumer) hook).accept(virtualThread);
            }
        }
    }

    /** VirtualThread.runContinuation, which runs on the carrier around mount .. unmount (JDK 21 and 25). */
    static final class VirtualMount {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.This Object virtualThread, @Advice.Local("memtrackHook") Object hook) {
            hook = System.getProperties().get(PropagationHooks.VIRTUAL_MOUNT);
            return hook == null ? 0L : ((ToLongFunction) hook).applyAsLong(virtualThread);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object virtualThread, @Advice.Enter long token,
                         @Advice.Local("memtrackHook") Object hook) {
            if (token != 0L) {
                ((ObjLongConsumer) hook).accept(virtualThread, token);
            }
        }
    }
}
