package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The nine limit attributes of {@code @TrackMemory}: which verdict each makes, over which
 * domains, and (for the combined ones) the configuration key of its suite-wide default.
 * Declaration order is evaluation order.
 */
@API(status = INTERNAL, since = "0.1")
public enum LimitAttribute {
    PEAK("peakLimit", VerdictKind.PEAK, DomainSelection.ANY, TrackMemory::peakLimit, "memtrack.default.peakLimit"),
    NATIVE_PEAK("nativePeakLimit", VerdictKind.PEAK, DomainSelection.NATIVE, TrackMemory::nativePeakLimit, null),
    MANAGED_PEAK("managedPeakLimit", VerdictKind.PEAK, DomainSelection.MANAGED, TrackMemory::managedPeakLimit, null),
    LEAK("leakLimit", VerdictKind.LEAK, DomainSelection.ANY, TrackMemory::leakLimit, "memtrack.default.leakLimit"),
    NATIVE_LEAK("nativeLeakLimit", VerdictKind.LEAK, DomainSelection.NATIVE, TrackMemory::nativeLeakLimit, null),
    MANAGED_LEAK("managedLeakLimit", VerdictKind.LEAK, DomainSelection.MANAGED, TrackMemory::managedLeakLimit, null),
    ALLOCATION("allocationLimit", VerdictKind.BUDGET, DomainSelection.ANY, TrackMemory::allocationLimit,
            "memtrack.default.allocationLimit"),
    NATIVE_ALLOCATION("nativeAllocationLimit", VerdictKind.BUDGET, DomainSelection.NATIVE, TrackMemory::nativeAllocationLimit, null),
    MANAGED_ALLOCATION("managedAllocationLimit", VerdictKind.BUDGET, DomainSelection.MANAGED, TrackMemory::managedAllocationLimit, null);

    private final String attributeName;
    private final VerdictKind kind;
    private final DomainSelection selection;
    private final Function<TrackMemory, String> reader;
    private final String defaultKey;

    LimitAttribute(String attributeName, VerdictKind kind, DomainSelection selection,
                   Function<TrackMemory, String> reader, String defaultKey) {
        this.attributeName = attributeName;
        this.kind = kind;
        this.selection = selection;
        this.reader = reader;
        this.defaultKey = defaultKey;
    }

    public String attributeName() {
        return attributeName;
    }

    VerdictKind kind() {
        return kind;
    }

    DomainSelection selection() {
        return selection;
    }

    /** The attribute's value on {@code annotation}; "" when not set. */
    public String valueOn(TrackMemory annotation) {
        return reader.apply(annotation);
    }

    /** The {@code memtrack.default.*} key of a combined limit; null for per-domain limits. */
    public String defaultKey() {
        return defaultKey;
    }

    /** The combined attribute of the same verdict ({@code leakLimit} for {@code managedLeakLimit}). */
    LimitAttribute combined() {
        return values()[ordinal() - ordinal() % 3];
    }
}
