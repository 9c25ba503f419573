package dev.memtrack.internal.attribution;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import java.util.List;
import java.util.concurrent.Callable;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Which JDK methods get which advice: the one list of everything attribution rewrites. The
 * choices, per path a task can take to another thread:
 * <ul>
 *   <li>ThreadPoolExecutor.execute — the funnel of submit, invokeAll and invokeAny of
 *       AbstractExecutorService. A FutureTask keeps its identity (registered, attached in
 *       FutureTask.run); any other Runnable is wrapped.</li>
 *   <li>ScheduledThreadPoolExecutor.schedule* (and JDK 25's ForkJoinPool.schedule*) — execute
 *       and submit of STPE go through schedule; the caller's Runnable/Callable is wrapped before
 *       the executor builds its own ScheduledFutureTask around it, so periodic runs stay in scope.</li>
 *   <li>ForkJoinPool — never wrapped (a ForkJoinTask's identity is its result, and
 *       CompletableFuture's AsyncSupply must stay an AsynchronousCompletionTask for helping):
 *       every task is registered where it enters a work queue ({@code WorkQueue.push}, JDK 17's
 *       {@code lockedPush}; JDK 25's {@code scheduleDelayedTask}) and attached in
 *       {@code ForkJoinTask.doExec}, the one method every worker and helper runs tasks through.
 *       That covers execute, submit, invoke, invokeAll, fork (parallel streams, RecursiveTask) and
 *       CompletableFuture's async stages on the common pool.</li>
 *   <li>Pool workers ({@code runWorker} of both pools, JDK 25's DelayScheduler) start detached:
 *       created lazily by some submission, they would otherwise keep that thread's scope.</li>
 *   <li>Virtual threads (JDK 21+): {@code start(ThreadContainer)} records the starter's scope,
 *       {@code runContinuation} (on the carrier, around mount .. unmount in JDK 21 and 25)
 *       applies it.</li>
 * </ul>
 * CompletableFuture needs no advice of its own: its async stages go to one of these executors,
 * or — JDK 17 with a common-pool parallelism of 1 — to a thread per task, which the agent's
 * pthread_create inheritance covers.
 */
final class PropagationTargets {

    /** A set of methods of one class and the advice they get; {@code since}: the first JDK that has them. */
    record Rule(String methods, ElementMatcher<? super MethodDescription> matcher, Class<?> advice, int since) {
    }

    /** A class to rewrite, by internal name; {@code since}: the first JDK that has it. */
    record Target(String internalName, int since, List<Rule> rules) {

        String binaryName() {
            return internalName.replace('/', '.');
        }

        /** The rules that apply to this JDK. */
        List<Rule> rulesFor(int feature) {
            return rules.stream().filter(rule -> rule.since() <= feature).toList();
        }
    }

    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";

    private static final ElementMatcher<MethodDescription> SCHEDULE_METHODS =
            named("schedule").or(named("scheduleAtFixedRate")).or(named("scheduleWithFixedDelay"))
                    .and(takesArgument(0, Runnable.class).or(takesArgument(0, Callable.class)));

    static final List<Target> ALL = List.of(
            new Target("java/util/concurrent/ThreadPoolExecutor", 17, List.of(
                    new Rule("execute(Runnable)", named("execute").and(takesArguments(Runnable.class)),
                            PropagationAdvice.Execute.class, 17),
                    new Rule("runWorker", named("runWorker").and(takesArguments(1)), PropagationAdvice.Detach.class, 17))),
            new Target("java/util/concurrent/ScheduledThreadPoolExecutor", 17, List.of(
                    new Rule("schedule*", SCHEDULE_METHODS, PropagationAdvice.Wrap.class, 17))),
            new Target("java/util/concurrent/FutureTask", 17, List.of(
                    new Rule("run()", named("run").and(takesArguments(0)), PropagationAdvice.Run.class, 17))),
            new Target("java/util/concurrent/ForkJoinTask", 17, List.of(
                    new Rule("doExec()", named("doExec").and(takesArguments(0)), PropagationAdvice.Run.class, 17))),
            new Target("java/util/concurrent/ForkJoinPool$WorkQueue", 17, List.of(
                    new Rule("push/lockedPush", named("push").or(named("lockedPush")).and(takesArgument(0, named(FORK_JOIN_TASK))),
                            PropagationAdvice.Register.class, 17))),
            new Target("java/util/concurrent/ForkJoinPool", 17, List.of(
                    new Rule("runWorker", named("runWorker").and(takesArguments(1)), PropagationAdvice.Detach.class, 17),
                    new Rule("schedule*", SCHEDULE_METHODS, PropagationAdvice.Wrap.class, 25),
                    new Rule("scheduleDelayedTask", named("scheduleDelayedTask").and(takesArguments(1)),
                            PropagationAdvice.Register.class, 25))),
            new Target("java/util/concurrent/DelayScheduler", 25, List.of(
                    new Rule("run()", named("run").and(takesArguments(0)), PropagationAdvice.Detach.class, 25))),
            new Target("java/lang/VirtualThread", 21, List.of(
                    new Rule("start(ThreadContainer)", named("start").and(takesArguments(1)), PropagationAdvice.VirtualStart.class, 21),
                    new Rule("runContinuation()", named("runContinuation").and(takesArguments(0)),
                            PropagationAdvice.VirtualMount.class, 21))));

    private PropagationTargets() {
    }

    /** The targets this JDK has, by its feature version. */
    static List<Target> forFeature(int feature) {
        return ALL.stream().filter(target -> target.since() <= feature).toList();
    }
}
