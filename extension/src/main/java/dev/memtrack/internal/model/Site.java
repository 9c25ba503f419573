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
 *                   "java.util.HashMap$Node.value"]}; empty when unknown or not applicable. For a
 *                   leaked native site: the path to the Java object that owns its block
 * @param ownedBy    for a leaked native site, who holds its blocks' addresses, as the message
 *                   prints it: {@code "owned by: org.rocksdb.Options (field nativeHandle_)"},
 *                   {@link #NO_OWNER}, or {@code "owned by: ... (owner unreachable, cleaner pending)"};
 *                   empty when not known (no owner check ran) or not applicable
 */
public record Site(Domain domain, Origin origin,
                   long allocatedBytes, long allocatedCount,
                   long liveBytes, long liveCount,
                   long peakBytes, long peakCount,
                   List<Frame> frames,
                   List<String> retainedBy,
                   String ownedBy) {

    /** The owner line of a leaked native block whose address no Java object holds. */
    public static final String NO_OWNER = "no Java object holds its address";
    /** Prefix of an owner line naming the owner. */
    public static final String OWNED_BY = "owned by: ";

    public Site {
        frames = List.copyOf(frames);
        retainedBy = List.copyOf(retainedBy);
        ownedBy = ownedBy == null ? "" : ownedBy;
    }

    /** A site without an owner line (managed sites, native sites without an owner check). */
    public Site(Domain domain, Origin origin,
                long allocatedBytes, long allocatedCount,
                long liveBytes, long liveCount,
                long peakBytes, long peakCount,
                List<Frame> frames,
                List<String> retainedBy) {
        this(domain, origin, allocatedBytes, allocatedCount, liveBytes, liveCount, peakBytes, peakCount, frames, retainedBy, "");
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
