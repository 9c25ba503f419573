package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The figures of one memory domain in one scope (a test or a measured block).
 *
 * @param allocatedBytes  bytes requested in the scope
 * @param allocationCount allocations made in the scope
 * @param liveBytes       of those, bytes not yet released
 * @param liveCount       of those, allocations not yet released
 * @param peakBytes       the high-water mark of live bytes during the scope
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record MemoryFigures(long allocatedBytes, long allocationCount, long liveBytes, long liveCount, long peakBytes) {
}
