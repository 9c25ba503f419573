/**
 * The JUnit Jupiter extension behind {@code @TrackMemory} and the machinery of
 * {@code MemoryAssertions}. One small class per concern:
 * settings ({@code SettingsResolver}, {@code ConfigurationReader}, {@code DeclaredAnnotation}),
 * per-test state ({@code TestTracking}, {@code ActiveTests}), one scope's lifecycle for tests and
 * blocks ({@code TrackedScope}), settling ({@code GcSettler}),
 * timeline ({@code TimelineSampler}), verdicts after the test ({@code TestCompletion},
 * {@code LimitChecks}, {@code FiguresPublisher}; baselines through {@code BaselineHook} only) and the seam to the native agent and the report
 * writer ({@code Backends}).
 *
 * <p>Thread-safety: per-test state is confined to the test's store and thread; the only shared
 * state is {@code ActiveTests} (a concurrent map keyed by thread) and the timeline thread.
 *
 * <p>State wider than a test: what belongs to one launcher lives in JUnit's root store under
 * {@code MemoryTrackingExtension.NAMESPACE} (e.g. whether {@code FileAttachments} said that
 * attaching failed). Statics remain only where JUnit offers no store or the state is the JVM's:
 * {@code ActiveTests} (read by the static {@code MemoryAssertions}), {@code ManagedSetup} (the heap
 * engine's settings are process-wide), {@code TrackAllSwitch} (a discovery listener, restoring a
 * system property), {@code Backends} (the test seam) and facts of the class path.
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.junit;

import dev.memtrack.internal.tracking.ActiveTests;
import dev.memtrack.internal.tracking.Backends;
import dev.memtrack.internal.tracking.GcSettler;
import dev.memtrack.internal.tracking.LimitChecks;
import dev.memtrack.internal.tracking.ManagedSetup;
import dev.memtrack.internal.tracking.TestTracking;
import dev.memtrack.internal.tracking.TimelineSampler;
import dev.memtrack.internal.tracking.TrackedScope;

