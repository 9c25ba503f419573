package dev.memtrack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.verdict.Measurement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class AllocationsAssertTests {

    private static final List<Frame> STACK = List.of(new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0));

    /** 3 KiB allocated in 3 allocations, 1 KiB of it still live, 2 KiB at the peak. */
    private static AllocationsResult result() {
        Site site = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 3072, 3, 1024, 1, 2048, 2, STACK);
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(3072, 3, 2048, 2, 1024, 1, 2048), List.of(site));
        return new AllocationsResult(Measurement.ofNative(report), new MessageContext(5, "", StackTrimmer.none()));
    }

    /** No native leak; 96 KiB of managed memory allocated (exact), none of it held. */
    private static AllocationsResult bothDomains() {
        ScopeReport nativeReport = new ScopeReport(Domain.NATIVE, new Figures(4096, 2, 4096, 2, 0, 0, 4096), List.of());
        Site heap = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 98_304, 96, 0, 0, 0, 0,
                List.of(new Frame(Frame.Kind.JAVA, "com.acme.Parser.parse", "", "Parser.java", 12)));
        ScopeReport managedReport = new ScopeReport(Domain.MANAGED, new Figures(98_304, 96, 98_304, 96, 0, 0, 0), List.of(heap));
        return new AllocationsResult(Measurement.ofBoth(nativeReport, managedReport, false, 4096),
                new MessageContext(5, "", StackTrimmer.none()));
    }

    @Test
    void eachNarrowingAppliesToTheChecksAfterIt() {
        // the README's example: native leaks, then the managed budget
        assertThatThrownBy(() -> new AllocationsAssert(bothDomains())
                .nativeMemory().hasNoLeaks()
                .managedMemory().hasAllocatedBelow("64KB"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Block allocated 96.0 KiB of managed memory in 96 allocations (allowed: below 64.0 KiB)\n");
        new AllocationsAssert(bothDomains()).nativeMemory().hasNoLeaks().hasAllocatedBelow("8KB")
                .managedMemory().hasAllocatedBelow("128KB").anyMemory().hasAllocatedBelow("128KB");
    }

    @Test
    void passingChecksReturnTheSameAssert() {
        AllocationsAssert assertion = new AllocationsAssert(result());

        assertThat(assertion.hasPeakBelow(2049).hasAllocatedBelow("4KB").nativeMemory().hasPeakBelow("3KB").anyMemory())
                .isSameAs(assertion);
    }

    @Test
    void aFailedCheckIsAnAssertionFailedErrorWithLimitAndFigure() {
        assertThatThrownBy(() -> new AllocationsAssert(result()).hasNoLeaks())
                .isInstanceOfSatisfying(AssertionFailedError.class, e -> {
                    assertThat(e.getExpected().getStringRepresentation()).isEqualTo("0 B");
                    assertThat(e.getActual().getStringRepresentation()).isEqualTo("1.0 KiB");
                })
                .hasMessage("""
                        Block leaked 1.0 KiB of native memory in 1 allocation (allowed: 0 B)

                          1.0 KiB in 1 allocation allocated at:
                            malloc                                  libc.so.6""");
    }

    @Test
    void descriptionsApplyAsEverywhereInAssertJ() {
        assertThatThrownBy(() -> new AllocationsAssert(result()).as("decoding a frame").hasPeakBelow("2KB"))
                .hasMessageStartingWith("[decoding a frame] Block reached a peak of 2.0 KiB of native memory (allowed: below 2.0 KiB)");
    }

    @Test
    void anAllocationBudgetIsAnExclusiveBound() {
        assertThatThrownBy(() -> new AllocationsAssert(result()).hasAllocatedBelow(3072))
                .hasMessageStartingWith("Block allocated 3.0 KiB of native memory in 3 allocations (allowed: below 3.0 KiB)");
    }

    @Test
    void malformedLimitsAreRefusedNamingTheCheck() {
        assertThatIllegalArgumentException().isThrownBy(() -> new AllocationsAssert(result()).hasAllocatedBelow("1.5B"))
                .withMessageStartingWith("hasAllocatedBelow(\"1.5B\"): '1.5B' is a fraction of a byte;");
        assertThatIllegalArgumentException().isThrownBy(() -> new AllocationsAssert(result()).hasPeakBelow(-1))
                .withMessage("hasPeakBelow(-1): a size must be 0 or more");
    }

    @Test
    void theResultShowsItsFigures() {
        AllocationsResult result = result();

        assertThat(result.nativeMemory()).isEqualTo(new MemoryFigures(3072, 3, 1024, 1, 2048));
        assertThat(result.managedMemory()).isEqualTo(new MemoryFigures(0, 0, 0, 0, 0));
        assertThat(result).hasToString("AllocationsResult[native: allocated 3.0 KiB in 3 allocations, peak 2.0 KiB, live 1.0 KiB]")
                .isEqualTo(result());
    }
}
