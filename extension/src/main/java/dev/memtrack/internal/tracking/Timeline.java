package dev.memtrack.internal.tracking;

import dev.memtrack.internal.model.TimelinePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Live memory over a test, bounded in size: once {@link #MAX_POINTS} points are held, every
 * second one is dropped and only every second sample is kept from then on, so a long test keeps
 * an even timeline at a coarser resolution. A dropped point's interval peak (the highest total
 * since the point before it) moves to the next point kept, so the timeline's maximum stays the
 * highest total the agent saw. Thread-safe.
 */
final class Timeline {

    static final int MAX_POINTS = 10_000;

    private final List<TimelinePoint> points = new ArrayList<>();
    private long offered;
    private long stride = 1;
    /** The highest interval peak of samples dropped since the last point kept. */
    private long droppedPeak = -1;

    synchronized void sample(TimelinePoint point) {
        if (offered++ % stride != 0) {
            droppedPeak = Math.max(droppedPeak, point.peakBytes());
            return;
        }
        add(point);
        if (points.size() >= MAX_POINTS) {
            thin();
        }
    }

    /** Always kept: the first and the last point of a scope. */
    synchronized void mark(TimelinePoint point) {
        add(point);
    }

    /**
     * The highest total reached after the last point (-1: not known), folded into the last point:
     * what the scope reached between its last poll and the verdict's read of the combined peak.
     */
    synchronized void finish(long peakSinceLastPoint) {
        if (!points.isEmpty()) {
            int last = points.size() - 1;
            points.set(last, points.get(last).withPeakAtLeast(Math.max(droppedPeak, peakSinceLastPoint)));
            droppedPeak = -1;
        }
    }

    synchronized List<TimelinePoint> points() {
        return List.copyOf(points);
    }

    private void add(TimelinePoint point) {
        points.add(point.withPeakAtLeast(droppedPeak));
        droppedPeak = -1;
    }

    private void thin() {
        List<TimelinePoint> kept = new ArrayList<>(points.size() / 2 + 1);
        for (int i = 0; i < points.size(); i += 2) {
            TimelinePoint point = points.get(i);
            // the dropped point before this one ended an interval this point's interval now covers
            kept.add(i == 0 ? point : point.withPeakAtLeast(points.get(i - 1).peakBytes()));
        }
        if (points.size() % 2 == 0) {
            droppedPeak = Math.max(droppedPeak, points.get(points.size() - 1).peakBytes());
        }
        points.clear();
        points.addAll(kept);
        stride *= 2;
    }
}
