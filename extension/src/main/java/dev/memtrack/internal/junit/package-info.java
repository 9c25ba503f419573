/**
 * The glue to JUnit: the Jupiter extension behind {@code @TrackMemory}
 * ({@code MemoryTrackingExtension}) and the launcher listeners that track other engines' tests
 * ({@code EngineTestTracking}) and switch on {@code memtrack.track=all} ({@code TrackAllSwitch}),
 * all three named in {@code META-INF/services}. It reads what JUnit offers and hands the rest to
 * {@code dev.memtrack.internal.tracking}: settings from configuration parameters and annotations
 * ({@code ConfigurationReader}, {@code DurationParser}, {@code SettingsResolver},
 * {@code DeclaredAnnotation}, {@code MisplacedAnnotations}), the store value whose closing judges
 * a test after its teardown ({@code TeardownVerdict}, {@code TestCompletion}), what a test
 * publishes back to JUnit (report entries by {@code FiguresPublisher}, files by
 * {@code FileAttachments}), the injected {@code MemoryCapture} ({@code TestMemoryCapture}) and
 * baselines ({@code BaselineHook}, the only caller of {@code dev.memtrack.internal.baseline}'s gate).
 *
 * <p>Depends on {@code tracking}; nothing in {@code tracking} depends on this package.
 *
 * <p>State wider than a test: what belongs to one launcher lives in JUnit's root store under
 * {@code MemoryTrackingExtension.NAMESPACE} (e.g. whether {@code FileAttachments} said that
 * attaching failed). Statics remain only where JUnit offers no store: {@code TrackAllSwitch} (a
 * discovery listener, restoring a system property).
 * Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.junit;
