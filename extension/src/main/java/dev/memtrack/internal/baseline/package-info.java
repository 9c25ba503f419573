/**
 * Baselines (issue 14): {@code memtrack.baseline.mode=record} writes each tracked test's figures
 * into a committed JSON file (and keeps the capture they came from beside it);
 * {@code memtrack.baseline.mode=check} fails a test whose figure grew beyond the tolerance and
 * puts a diff flame graph of what grew into its report. One class per concern: settings
 * ({@code BaselineMode}, {@code Tolerance}, {@code BaselineSettings}, {@code ModuleRoot}), the file
 * ({@code BaselineEntry}, {@code BaselineJson}, {@code BaselineFile}), the check
 * ({@code BaselineCheck}, {@code Growth}), the diff ({@code SiteDiff}, {@code DiffFlameGraph}),
 * the run's listing ({@code BaselineRunLog}, {@code BaselineSummaryListener}) and the one entry
 * point the extension calls ({@code BaselineGate}). docs/baselines.md is the design.
 *
 * <p>Thread-safety: {@code BaselineFile} serialises writers of one file inside the JVM and
 * across JVMs (a file lock); {@code BaselineRunLog} is a concurrent registry. Everything else is
 * immutable. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.baseline;
