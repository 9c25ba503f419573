/**
 * memtrack's public API: {@link dev.memtrack.TrackMemory @TrackMemory},
 * {@link dev.memtrack.MemoryAssertions}, the {@link dev.memtrack.AllocationsAssert} it returns and
 * the {@link dev.memtrack.MemoryCapture} a test can ask for. Everything under
 * {@code dev.memtrack.internal} is internal and may change without notice.
 */
package dev.memtrack;
