package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.extension.CallerStack;
import dev.memtrack.internal.extension.OwnWork;
import dev.memtrack.internal.message.ShouldHaveAllocatedBelow;
import dev.memtrack.internal.message.ShouldHavePeakBelow;
import dev.memtrack.internal.message.ShouldNotLeak;
import dev.memtrack.internal.message.Subject;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.VerdictKind;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/**
 * Checks on what a block allocated. The checks judge native and managed memory combined until
 * {@link #nativeMemory()} or {@link #managedMemory()} narrows the checks that follow to one
 * domain; {@link #anyMemory()} widens them again. A failed check throws an opentest4j
 * {@code AssertionFailedError} whose expected value is the limit and whose actual value is the
 * measured figure.
 *
 * @param <SELF> the concrete assert type, for chaining
 */
@API(status = EXPERIMENTAL, since = "0.1")
public abstract class AbstractAllocationsAssert<SELF extends AbstractAllocationsAssert<SELF>>
        extends AbstractAssert<SELF, AllocationsResult> {

    private DomainSelection domains = DomainSelection.ANY;

    protected AbstractAllocationsAssert(AllocationsResult actual, Class<?> selfType) {
        super(actual, selfType);
    }

    /** Nothing the block allocated is still live once GC and cleaners have settled. */
    public SELF hasNoLeaks() {
        isNotNull();
        long leaked = actual.measurement().total(VerdictKind.LEAK, domains).bytes();
        if (VerdictKind.LEAK.breaches(leaked, 0)) {
            throw failure(() -> ShouldNotLeak.shouldNotLeak(Subject.BLOCK, actual.measurement(), domains, 0, actual.context()));
        }
        return myself;
    }

    /** The block's peak of live memory stayed below {@code size}, e.g. {@code "10MB"}. */
    public SELF hasPeakBelow(String size) {
        return hasPeakBelow(parse("hasPeakBelow", size));
    }

    /** The block's peak of live memory stayed below {@code bytes}. */
    public SELF hasPeakBelow(long bytes) {
        isNotNull();
        requireNotNegative("hasPeakBelow", bytes);
        long peak = actual.measurement().total(VerdictKind.PEAK, domains).bytes();
        if (VerdictKind.PEAK.breaches(peak, bytes)) {
            throw failure(() -> ShouldHavePeakBelow.shouldHavePeakBelow(Subject.BLOCK, actual.measurement(), domains, bytes, actual.context()));
        }
        return myself;
    }

    /** The block allocated less than {@code size} in total, e.g. {@code "1MB"}. */
    public SELF hasAllocatedBelow(String size) {
        return hasAllocatedBelow(parse("hasAllocatedBelow", size));
    }

    /** The block allocated less than {@code bytes} in total. */
    public SELF hasAllocatedBelow(long bytes) {
        isNotNull();
        requireNotNegative("hasAllocatedBelow", bytes);
        long allocated = actual.measurement().total(VerdictKind.BUDGET, domains).bytes();
        if (VerdictKind.BUDGET.breaches(allocated, bytes)) {
            throw failure(() -> ShouldHaveAllocatedBelow.shouldHaveAllocatedBelow(Subject.BLOCK, actual.measurement(), domains, bytes, actual.context()));
        }
        return myself;
    }

    /** The checks that follow judge native memory only. */
    public SELF nativeMemory() {
        domains = DomainSelection.NATIVE;
        return myself;
    }

    /**
     * The checks that follow judge managed (Java-heap) memory only. Allocated bytes are exact;
     * peak and leaked figures are estimates from heap samples unless the heap is sampled exactly
     * ({@code memtrack.managed.samplingInterval=exact}), and failure messages then say "about".
     * Where the heap is not measured (tracking off, heap sampling held by another agent) the
     * figures that are not measured are zero, so these checks pass.
     */
    public SELF managedMemory() {
        domains = DomainSelection.MANAGED;
        return myself;
    }

    /** The checks that follow judge all measured domains combined again (the default). */
    public SELF anyMemory() {
        domains = DomainSelection.ANY;
        return myself;
    }

    /**
     * Through AssertJ, so {@code as(..)} descriptions and overriding messages apply. Building the
     * message and the error is memtrack's own work, kept out of the running test's scope; the
     * error's stack trace starts at the caller.
     */
    private AssertionError failure(Supplier<VerdictMessage> message) {
        return CallerStack.fromCaller(OwnWork.outsideScopes(() -> {
            VerdictMessage verdict = message.get();
            // "%s" keeps a '%' in a symbol or path from being read as a format specifier
            return failureWithActualExpected(verdict.actual(), verdict.expected(), "%s", verdict.text());
        }));
    }

    private static long parse(String method, String size) {
        try {
            return SizeParser.parse(size);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(method + "(\"" + size + "\"): " + e.getMessage(), e);
        }
    }

    private static void requireNotNegative(String method, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException(method + "(" + bytes + "): a size must be 0 or more");
        }
    }
}
