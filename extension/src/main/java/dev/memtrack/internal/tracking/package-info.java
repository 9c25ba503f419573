/**
 * The tracking session, whoever started it (a Jupiter test, another engine's test, an
 * {@code assertAllocations} block): one scope's lifecycle ({@code TrackedScope}: begin, end on the
 * same thread, settle with {@code GcSettler}, read with {@code Measurements}, release), per-test
 * state ({@code TestTracking}, its identity {@code TestIdentity}, its resolved settings
 * {@code TrackingSettings} with the {@code DeclaredLimit}s of {@code @TrackMemory}'s
 * {@code LimitAttribute}s, its files {@code ReportPaths}), blocks ({@code BlockTracking}), the
 * timeline ({@code Timeline}, {@code TimelineSampler}), the threads and tasks a scope follows
 * ({@code ThreadsAndTasks}), the verdicts on a test's figures ({@code LimitChecks} after the test,
 * {@code RunningTestChecks} for {@code MemoryAssertions} during it), memtrack's own work and frames
 * kept out of the figures ({@code OwnWork}, {@code OwnFrames}, {@code CallerStack}), the
 * process-wide heap engine settings ({@code ManagedSetup}) and the seam to the native agent and
 * the report writer ({@code Backends}).
 *
 * <p>No JUnit glue: it uses JUnit's API only for the {@code ExtensionContext} a test's identity is
 * read from. The verdict arithmetic it asks is {@code dev.memtrack.internal.verdict}; the limit
 * plumbing stays here because it reads {@code @TrackMemory} and a test's settings and stack,
 * which the verdict package must not know.
 *
 * <p>Thread-safety: per-test state is confined to the test's store and thread; the only shared
 * state is {@code ActiveTests} (a concurrent map keyed by thread, read by the static
 * {@code MemoryAssertions}), {@code ManagedSetup} (the heap engine's settings are process-wide),
 * {@code Backends} (the test seam), the timeline thread and facts of the class path.
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.tracking;
