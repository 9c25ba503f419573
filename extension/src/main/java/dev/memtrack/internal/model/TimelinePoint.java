package dev.memtrack.internal.model;

/**
 * Live memory of a test at one instant, {@code offsetMillis} after its scope began, and the highest
 * native + managed total reached since the previous point ({@code peakBytes}): the agent keeps it
 * between two polls, so a peak reached and released between samples still shows, and the
 * timeline's maximum is the combined peak the figures state.
 *
 * @param peakBytes the highest total since the previous point, at least {@link #totalBytes()};
 *                  captures written before it was recorded read it as the total at the instant
 */
public record TimelinePoint(long offsetMillis, long nativeLiveBytes, long managedLiveBytes, long peakBytes) {

    public TimelinePoint {
        peakBytes = Math.max(peakBytes, nativeLiveBytes + managedLiveBytes);
    }

    /** A point whose interval's highest total is not known: the total at the instant. */
    public TimelinePoint(long offsetMillis, long nativeLiveBytes, long managedLiveBytes) {
        this(offsetMillis, nativeLiveBytes, managedLiveBytes, nativeLiveBytes + managedLiveBytes);
    }

    public long totalBytes() {
        return nativeLiveBytes + managedLiveBytes;
    }

    /** This point with the interval's highest total raised to at least {@code peak}. */
    public TimelinePoint withPeakAtLeast(long peak) {
        return peak <= peakBytes ? this : new TimelinePoint(offsetMillis, nativeLiveBytes, managedLiveBytes, peak);
    }
}
