/**
 * The JUnit Jupiter extension behind {@code @TrackMemory} and the machinery of
 * {@code MemoryAssertions}. One small class per concern:
 * settings ({@code SettingsResolver}, {@code ConfigurationReader}, {@code DeclaredAnnotation}),
 * per-test state ({@code TestTracking}, {@code ActiveTests}), settling ({@code GcSettler}),
 * timeline ({@code TimelineSampler}), verdicts after the test ({@code TestCompletion},
 * {@code LimitChecks}, {@code FiguresPublisher}; baselines through {@code BaselineHook} only) and the seam to the native agent and the report
 * writer ({@code Backends}).
 *
 * <p>Thread-safety: per-test state is confined to the test's store and thread; the only shared
 * state is {@code ActiveTests} (a concurrent map keyed by thread) and the timeline thread.
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.extension;
