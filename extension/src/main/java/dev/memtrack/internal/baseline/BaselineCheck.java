package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.size.SizeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Compares a test's figures with its baseline entry (docs/baselines.md, "Tolerance").
 *
 * <p>Each measured domain's peak, allocated and leaked bytes are judged; a figure fails when it
 * is above {@code baseline × (1 + tolerance)}. The combined figures are recorded but not judged
 * on their own: a sum that grew by more than t means one of its parts grew by more than t, so the
 * domain lines already name it, and say which domain.
 *
 * <p>Managed figures are estimates from heap samples when sampling is not exact
 * (docs/managed-heap.md) — allocated bytes too: they are exact on the test thread, but the bytes of
 * threads it starts are estimated from samples, and neither a capture nor a baseline entry can
 * tell the two parts apart (the samples' {@code closesItsContexts} varies by ±20 % from run to
 * run). An estimate of B bytes at interval I has a standard error of about
 * √(I·B), and the difference of two independent estimates √(I₁·B₁ + I₂·B₂). Growth that three such
 * errors can explain — a pure sampling artefact in fewer than 0.2 % of comparisons — does not fail,
 * whatever the tolerance says; growth beyond both fails and the message gives the error too.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineCheck {

    /** Standard errors of sampling noise tolerated in an estimated figure. */
    static final double SAMPLING_SIGMAS = 3.0;

    private BaselineCheck() {
    }

    /**
     * @param current         the test's figures now
     * @param baseline        its entry in the baseline
     * @return the figures that grew beyond tolerance, native first, then peak, allocated, leaked
     */
    public static List<Growth> compare(BaselineEntry current, BaselineEntry baseline, Tolerance tolerance) {
        List<Growth> growths = new ArrayList<>();
        for (Domain domain : Domain.values()) {
            Optional<FigureSet> now = current.figures(domain);
            Optional<FigureSet> then = baseline.figures(domain);
            if (now.isEmpty() || then.isEmpty()) {
                continue; // a domain not measured in one of the runs cannot be compared
            }
            for (Figure figure : Figure.values()) {
                long c = now.get().of(figure);
                long b = then.get().of(figure);
                double t = tolerance.of(figure);
                long error = domain == Domain.MANAGED
                        ? samplingError(c, current.managedSampling(), b, baseline.managedSampling())
                        : 0;
                if (c - b > Math.max(b * t, error)) {
                    growths.add(new Growth(domain, figure, c, b, t, error));
                }
            }
        }
        return growths;
    }

    /** Three standard errors of the difference of two estimates; 0 when both are exact. */
    static long samplingError(long current, long currentInterval, long baseline, long baselineInterval) {
        double variance = (double) currentInterval * current + (double) baselineInterval * baseline;
        return variance <= 0 ? 0 : (long) Math.ceil(SAMPLING_SIGMAS * Math.sqrt(variance));
    }

    /**
     * The failure: one sentence, one line per grown figure, where the diff flame graph is.
     *
     * @param file   the baseline file as messages show it
     * @param report the test's HTML report as messages show it
     */
    public static VerdictMessage failure(List<Growth> growths, String file, String report) {
        StringBuilder text = new StringBuilder("Test grew beyond its memory baseline in ")
                .append(growths.size()).append(growths.size() == 1 ? " figure" : " figures")
                .append(" (").append(file).append(")\n");
        for (Growth growth : growths) {
            text.append("  ").append(growth.line()).append('\n');
        }
        text.append("\n  Diff flame graph of what grew: ").append(report);
        String expected = growths.stream().map(g -> g.name() + " " + SizeFormatter.format(g.baseline()))
                .collect(Collectors.joining("\n"));
        String actual = growths.stream().map(g -> g.name() + " " + SizeFormatter.format(g.current()))
                .collect(Collectors.joining("\n"));
        return new VerdictMessage(text.toString(), expected, actual);
    }
}
