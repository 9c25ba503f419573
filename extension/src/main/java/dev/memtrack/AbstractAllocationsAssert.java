package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.memtrack.internal.message.Subject;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.message.VerdictMessages;
import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.tracking.CallerStack;
import dev.memtrack.internal.tracking.OwnWork;
import dev.memtrack.internal.verdict.DomainSelection;
import dev.memtrack.internal.verdict.Verdict;
import dev.memtrack.internal.verdict.VerdictKind;
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
        return judge(new Verdict(VerdictKind.LEAK, domains, 0));
    }

    /** The block's peak of live memory stayed below {@code size}, e.g. {@code "10MB"}. */
    public SELF hasPeakBelow(String size) {
        return hasPeakBelow(parse("hasPeakBelow", size));
    }

    /** The block's peak of live memory stayed below {@code bytes}. */
    public SELF hasPeakBelow(long bytes) {
        isNotNull();
        requireNotNegative("hasPeakBelow", bytes);
        return judge(new Verdict(VerdictKind.PEAK, domains, bytes));
    }

    /** The block allocated less than {@code size} in total, e.g. {@code "1MB"}. */
    public SELF hasAllocatedBelow(String size) {
        return hasAllocatedBelow(parse("hasAllocatedBelow", size));
    }

    /** The block allocated less than {@code bytes} in total. */
    public SELF hasAllocatedBelow(long bytes) {
        isNotNull();
        requireNotNegative("hasAllocatedBelow", bytes);
        return judge(new Verdict(VerdictKind.BUDGET, domains, bytes));
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
     * Every check: the verdict judged once, a breach failed through AssertJ, so {@code as(..)}
     * descriptions and overriding messages apply. Building the message and the error is
     * memtrack's own work, kept out of the running test's scope; the error's stack trace starts
     * at the caller.
     */
    private SELF judge(Verdict verdict) {
        if (verdict.isBreachedBy(actual.measurement())) {
            throw CallerStack.fromCaller(OwnWork.outsideScopes(() -> {
                VerdictMessage message = VerdictMessages.of(verdict, Subject.BLOCK, actual.measurement(), actual.context());
                // "%s" keeps a '%' in a symbol or path from being read as a format specifier
                return failureWithActualExpected(message.actual(), message.expected(), "%s", message.text());
            }));
        }
        return myself;
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
