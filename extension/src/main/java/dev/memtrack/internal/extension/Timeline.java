package dev.memtrack.internal.extension;

import dev.memtrack.internal.model.TimelinePoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Live memory over a test, bounded in size: once {@link #MAX_POINTS} points are held, every
 * second one is dropped and only every second sample is kept from then on, so a long test keeps
 * an even timeline at a coarser resolution. Thread-safe.
 */
final class Timeline {

    static final int MAX_POINTS = 10_000;

    private final List<TimelinePoint> points = new ArrayList<>();
    private long offered;
    private long stride = 1;

    synchronized void sample(TimelinePoint point) {
        if (offered++ % stride != 0) {
            return;
        }
        points.add(point);
        if (points.size() >= MAX_POINTS) {
            thin();
        }
    }

    /** Always kept: the first and the last point of a scope. */
    synchronized void mark(TimelinePoint point) {
        points.add(point);
    }

    synchronized List<TimelinePoint> points() {
        return List.copyOf(points);
    }

    private void thin() {
        List<TimelinePoint> kept = new ArrayList<>(points.size() / 2 + 1);
        for (int i = 0; i < points.size(); i += 2) {
            kept.add(points.get(i));
        }
        points.clear();
        points.addAll(kept);
        stride *= 2;
    }
}
