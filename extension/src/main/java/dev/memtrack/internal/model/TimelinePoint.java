package dev.memtrack.internal.model;

/** Live memory of a test at one instant, {@code offsetMillis} after its scope began. */
public record TimelinePoint(long offsetMillis, long nativeLiveBytes, long managedLiveBytes) {
}
