package dev.memtrack.internal.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BaselineCheckTests {

    private static final long MIB = 1L << 20;
    private static final long INTERVAL = 256 * 1024;

    private static BaselineEntry nativeOnly(long peak, long allocated, long leaked) {
        FigureSet figures = new FigureSet(peak, allocated, leaked);
        return new BaselineEntry("a.B.m", "", Optional.of(figures), Optional.empty(), 0, figures);
    }

    private static BaselineEntry managed(long peak, long allocated, long leaked, long sampling) {
        FigureSet figures = new FigureSet(peak, allocated, leaked);
        return new BaselineEntry("a.B.m", "", Optional.empty(), Optional.of(figures), sampling, figures);
    }

    @Test
    void aFigureFailsOnlyWhenStrictlyAboveBaselineTimesOnePlusTolerance() {
        BaselineEntry baseline = nativeOnly(10 * MIB, 10 * MIB, 0);

        assertThat(BaselineCheck.compare(nativeOnly(11 * MIB, 10 * MIB, 0), baseline, Tolerance.DEFAULT)).isEmpty();
        assertThat(BaselineCheck.compare(nativeOnly(11 * MIB + 1, 9 * MIB, 0), baseline, Tolerance.DEFAULT))
                .singleElement().satisfies(g -> assertThat(g.name()).isEqualTo("native peak"));
    }

    @Test
    void eachFigureHasItsOwnToleranceAndAGrowthFromZeroIsNew() {
        BaselineEntry baseline = nativeOnly(10 * MIB, 10 * MIB, 0);
        Tolerance tolerance = Tolerance.DEFAULT.with(Figure.PEAK, 0.5);

        List<Growth> growths = BaselineCheck.compare(nativeOnly(13 * MIB, 13 * MIB, 2 * MIB), baseline, tolerance);

        assertThat(growths).extracting(Growth::line).containsExactly(
                "native allocated 13.0 MiB, baseline 10.0 MiB (+30 %, tolerance 10 %)",
                "native leaked 2.0 MiB, baseline 0 B (new, tolerance 10 %)");
    }

    @Test
    void aManagedEstimateThatGrewWithinItsSamplingErrorPasses() {
        // 2 MiB at 256 KiB: each estimate's standard error is about 724 KiB; +30 % is well within three of them
        BaselineEntry baseline = managed(2 * MIB, 2 * MIB, 0, INTERVAL);

        assertThat(BaselineCheck.compare(managed(2 * MIB + 600 * 1024, 2 * MIB, 0, INTERVAL), baseline, Tolerance.DEFAULT)).isEmpty();
    }

    @Test
    void aManagedEstimateBeyondItsSamplingErrorFailsSayingAboutAndTheError() {
        BaselineEntry baseline = managed(20 * MIB, 20 * MIB, 0, INTERVAL);

        List<Growth> growths = BaselineCheck.compare(managed(30 * MIB, 20 * MIB, 0, INTERVAL), baseline, Tolerance.DEFAULT);

        // sqrt(256 KiB × 50 MiB) × 3 = 10.6 MiB > the 10 MiB of growth: still within the error
        assertThat(growths).isEmpty();
        assertThat(BaselineCheck.compare(managed(40 * MIB, 20 * MIB, 0, INTERVAL), baseline, Tolerance.DEFAULT))
                .extracting(Growth::line)
                .containsExactly("managed peak about 40.0 MiB, baseline about 20.0 MiB (+100 %, tolerance 10 %, sampling error ±11.6 MiB)");
    }

    @Test
    void managedAllocatedBytesAllowTheSamplingErrorOfTheThreadsTheTestStarted() {
        BaselineEntry baseline = managed(0, 8 * MIB, 0, INTERVAL);

        assertThat(BaselineCheck.compare(managed(0, 10 * MIB, 0, INTERVAL), baseline, Tolerance.DEFAULT)).isEmpty();
        assertThat(BaselineCheck.compare(managed(0, 24 * MIB, 0, INTERVAL), baseline, Tolerance.DEFAULT)).extracting(Growth::line)
                .containsExactly("managed allocated about 24.0 MiB, baseline about 8.0 MiB (+200 %, tolerance 10 %, sampling error ±8.5 MiB)");
    }

    @Test
    void exactModeFiguresAreExact() {
        BaselineEntry baseline = managed(2 * MIB, 2 * MIB, 0, 0);

        assertThat(BaselineCheck.compare(managed(3 * MIB, 3 * MIB, 0, 0), baseline, Tolerance.DEFAULT))
                .extracting(Growth::line)
                .containsExactly("managed peak 3.0 MiB, baseline 2.0 MiB (+50 %, tolerance 10 %)",
                        "managed allocated 3.0 MiB, baseline 2.0 MiB (+50 %, tolerance 10 %)");
    }

    @Test
    void aDomainMeasuredInOnlyOneRunIsNotCompared() {
        assertThat(BaselineCheck.compare(managed(9 * MIB, 9 * MIB, 0, 0), nativeOnly(MIB, MIB, 0), Tolerance.DEFAULT)).isEmpty();
    }

    @Test
    void theFailureHasOneLinePerGrownFigureAndExpectedAndActualForTheIdesComparison() {
        List<Growth> growths = List.of(new Growth(Domain.NATIVE, Figure.PEAK, 5 * MIB, 3_984_589, 0.1, 0),
                new Growth(Domain.NATIVE, Figure.LEAKED, MIB, 0, 0.1, 0));

        var failure = BaselineCheck.failure(growths, "memtrack-baseline.json", "target/memtrack/a.B/m.html");

        assertThat(failure.text()).isEqualTo("""
                Test grew beyond its memory baseline in 2 figures (memtrack-baseline.json)
                  native peak 5.0 MiB, baseline 3.8 MiB (+31.6 %, tolerance 10 %)
                  native leaked 1.0 MiB, baseline 0 B (new, tolerance 10 %)

                  Diff flame graph of what grew: target/memtrack/a.B/m.html""");
        assertThat(failure.expected()).isEqualTo("native peak 3.8 MiB\nnative leaked 0 B");
        assertThat(failure.actual()).isEqualTo("native peak 5.0 MiB\nnative leaked 1.0 MiB");
    }

    @Test
    void tolerancesAreReadAsPercentagesOnly() {
        assertThat(Tolerance.parsePercent("10%")).isEqualTo(0.10);
        assertThat(Tolerance.parsePercent(" 2.5 %")).isEqualTo(0.025);
        assertThat(Tolerance.parsePercent("0%")).isEqualTo(0.0);
        for (String bad : List.of("10", "0.1", "-5%", "ten%", "%", "")) {
            org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> Tolerance.parsePercent(bad))
                    .withMessage("'" + bad + "' is not a tolerance; " + Tolerance.ALLOWED);
        }
    }
}
