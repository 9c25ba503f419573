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
 * @param held       for a leaked native site, the blocks a reachable Java object owns (the owner
 *                   check's {@code held} line); {@link HeldBlocks#NONE} otherwise
 */
public record Site(Domain domain, Origin origin,
                   long allocatedBytes, long allocatedCount,
                   long liveBytes, long liveCount,
                   long peakBytes, long peakCount,
                   List<Frame> frames,
                   List<String> retainedBy,
                   String ownedBy,
                   HeldBlocks held) {

    /** The owner line of a leaked native block whose address no Java object holds. */
    public static final String NO_OWNER = "no Java object holds its address";
    /** Prefix of an owner line naming the owner. */
    public static final String OWNED_BY = "owned by: ";

    public Site {
        frames = List.copyOf(frames);
        retainedBy = List.copyOf(retainedBy);
        ownedBy = ownedBy == null ? "" : ownedBy;
        held = held == null ? HeldBlocks.NONE : held;
    }

    /** A site whose blocks' owners are not listed. */
    public Site(Domain domain, Origin origin,
                long allocatedBytes, long allocatedCount,
                long liveBytes, long liveCount,
                long peakBytes, long peakCount,
                List<Frame> frames,
                List<String> retainedBy,
                String ownedBy) {
        this(domain, origin, allocatedBytes, allocatedCount, liveBytes, liveCount, peakBytes, peakCount, frames, retainedBy,
                ownedBy, HeldBlocks.NONE);
    }

    /** The same site holding nothing live, with {@code ownedBy} saying why (a set-aside site). */
    public Site withNothingLive(String ownedBy) {
        return new Site(domain, origin, allocatedBytes, allocatedCount, 0, 0, peakBytes, peakCount, frames, retainedBy,
                ownedBy, held);
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
