/**
 * Failure messages, one factory per verdict ({@code ShouldNotLeak}, {@code ShouldHavePeakBelow},
 * {@code ShouldHaveAllocatedBelow}), producing exactly the text of docs/failure-messages.md.
 * Each returns a {@code VerdictMessage} (text, expected, actual); the AssertJ assert classes
 * throw it through AssertJ, the extension and {@code MemoryAssertions} as an opentest4j
 * {@code AssertionFailedError}. Internal: not part of memtrack's API.
 */
package dev.memtrack.internal.message;
