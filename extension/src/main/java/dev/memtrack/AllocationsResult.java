package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.size.SizeFormatter;
import dev.memtrack.internal.verdict.Measurement;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * What {@link MemoryAssertions#assertAllocations(ThrowingBlock)} measured for its block, after GC
 * and cleaners settled: the figures of each domain and (internally) the allocation sites the
 * failure messages list.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AllocationsResult {

    private final Measurement measurement;
    private final MessageContext context;

    AllocationsResult(Measurement measurement, MessageContext context) {
        this.measurement = Objects.requireNonNull(measurement, "measurement");
        this.context = Objects.requireNonNull(context, "context");
    }

    /** Native figures of the block; live figures are those after settling. */
    public MemoryFigures nativeMemory() {
        return figures(Domain.NATIVE);
    }

    /**
     * Managed-heap figures of the block: allocated bytes exact, the others estimated from heap
     * samples (exact in exact mode); live figures are the leaked ones after the leak check; zeros
     * where the heap is not measured.
     */
    public MemoryFigures managedMemory() {
        return figures(Domain.MANAGED);
    }

    Measurement measurement() {
        return measurement;
    }

    MessageContext context() {
        return context;
    }

    private MemoryFigures figures(Domain domain) {
        Figures f = measurement.figures(domain);
        return new MemoryFigures(f.allocatedBytes(), f.allocatedCount(), f.liveBytes(), f.liveCount(), f.peakBytes());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AllocationsResult other && measurement.equals(other.measurement);
    }

    @Override
    public int hashCode() {
        return measurement.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("AllocationsResult[");
        String separator = "";
        for (var report : measurement.reports()) {
            Figures f = report.figures();
            text.append(separator).append(report.domain().label())
                    .append(": allocated ").append(SizeFormatter.format(f.allocatedBytes()))
                    .append(" in ").append(f.allocatedCount()).append(f.allocatedCount() == 1 ? " allocation" : " allocations")
                    .append(", peak ").append(SizeFormatter.format(f.peakBytes()))
                    .append(", live ").append(SizeFormatter.format(f.liveBytes()));
            separator = "; ";
        }
        return text.append(']').toString();
    }
}
