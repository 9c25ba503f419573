/**
 * Which scope an allocation belongs to when work crosses threads: thread-pool tasks,
 * CompletableFuture's async stages and virtual threads carry the scope of the thread that
 * submitted or started them ({@code ScopePropagation}, {@code ScopeContext}), and the process-wide
 * mode ({@code ProcessWideMode}). The only place that uses ByteBuddy: its advice is inlined into
 * the JDK's executor and virtual-thread classes through libmemtrack's JVMTI class-file hook
 * ({@code JvmtiClassTransformer}, {@code PropagationTargets}, {@code PropagationAdvice}) and
 * calls back into {@code PropagationHooks}. Rules and limits: {@code docs/attribution.md}.
 *
 * <p>Thread-safety: every public method may be called from any thread; {@code ScopeContext}
 * acts on the calling thread only. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.attribution;
