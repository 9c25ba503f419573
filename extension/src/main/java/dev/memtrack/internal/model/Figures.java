package dev.memtrack.internal.model;

/** Totals of one domain in one scope; see product.md for the meaning of each figure. */
public record Figures(long allocatedBytes, long allocatedCount, long freedBytes, long freedCount,
                      long liveBytes, long liveCount, long peakBytes) {

    public static final Figures ZERO = new Figures(0, 0, 0, 0, 0, 0, 0);
}
