package dev.memtrack.internal.model;

import java.util.List;

/**
 * Everything allocated in a scope at one merged stack.
 *
 * @param peakBytes bytes from this site that were live when the scope reached its peak
 * @param frames    innermost first: allocator, native frames, then Java frames
 */
public record Site(Domain domain, Origin origin,
                   long allocatedBytes, long allocatedCount,
                   long liveBytes, long liveCount,
                   long peakBytes, long peakCount,
                   List<Frame> frames) {

    public Site {
        frames = List.copyOf(frames);
    }
}
