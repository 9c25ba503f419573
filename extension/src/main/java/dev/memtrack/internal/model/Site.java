package dev.memtrack.internal.model;

import java.util.List;

/**
 * Everything allocated in a scope at one merged stack.
 *
 * @param peakBytes  bytes from this site that were live when the scope reached its peak
 * @param frames     innermost first: allocator, native frames, then Java frames
 * @param retainedBy for a leaked managed site: the reference path that keeps a representative
 *                   object alive, one step per element, from the GC root (or the static field
 *                   that holds it) down to the object's referrer, e.g.
 *                   {@code ["static com.acme.Cache.ENTRIES", "java.util.HashMap.table", "[3]",
 *                   "java.util.HashMap$Node.value"]}; empty when unknown or not applicable
 */
public record Site(Domain domain, Origin origin,
                   long allocatedBytes, long allocatedCount,
                   long liveBytes, long liveCount,
                   long peakBytes, long peakCount,
                   List<Frame> frames,
                   List<String> retainedBy) {

    public Site {
        frames = List.copyOf(frames);
        retainedBy = List.copyOf(retainedBy);
    }

    /** A site without a reference path (native sites, managed sites that are not leaks). */
    public Site(Domain domain, Origin origin,
                long allocatedBytes, long allocatedCount,
                long liveBytes, long liveCount,
                long peakBytes, long peakCount,
                List<Frame> frames) {
        this(domain, origin, allocatedBytes, allocatedCount, liveBytes, liveCount, peakBytes, peakCount, frames, List.of());
    }
}
