package dev.memtrack.internal.verdict;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One verdict to judge: its kind (leak, peak, allocated), the domains it reads and its limit. The
 * one place where a measured figure meets its limit, for {@code MemoryAssertions}, the assert of
 * {@code assertAllocations} and the declarative limits of {@code @TrackMemory} alike; the message
 * of a breach is built from the same verdict ({@code VerdictMessages.of}).
 *
 * @param kind       what is judged, and whether the limit is an allowance or an exclusive bound
 * @param selection  one domain, or all measured domains combined
 * @param limitBytes the limit (an allowance for a leak, an exclusive bound otherwise)
 */
@API(status = INTERNAL, since = "0.1")
public record Verdict(VerdictKind kind, DomainSelection selection, long limitBytes) {

    /** The figure this verdict judges in {@code measurement}. */
    public Total figure(Measurement measurement) {
        return measurement.total(kind, selection);
    }

    /** Whether {@code measurement} breaches the limit. */
    public boolean isBreachedBy(Measurement measurement) {
        return kind.breaches(figure(measurement).bytes(), limitBytes);
    }
}
