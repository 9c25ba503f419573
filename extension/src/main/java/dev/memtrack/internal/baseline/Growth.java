package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.size.SizeFormatter;
import org.apiguardian.api.API;

/**
 * One figure that grew beyond what the baseline allows.
 *
 * @param current      the figure now, bytes
 * @param baseline     the figure in the baseline, bytes
 * @param tolerance    the tolerance in force, a fraction
 * @param samplingError for an estimated figure, the growth that sampling alone can explain
 *                     (three standard errors of the difference); 0 for exact figures
 */
@API(status = INTERNAL, since = "0.1")
public record Growth(Domain domain, Figure figure, long current, long baseline, double tolerance, long samplingError) {

    public boolean estimated() {
        return samplingError > 0;
    }

    /** {@code native peak 13.0 MiB, baseline 10.0 MiB (+30 %, tolerance 10 %)}. */
    public String line() {
        String about = estimated() ? "about " : "";
        StringBuilder line = new StringBuilder(name()).append(' ').append(about).append(SizeFormatter.format(current))
                .append(", baseline ").append(about).append(SizeFormatter.format(baseline)).append(" (")
                .append(baseline == 0 ? "new" : "+" + Tolerance.percentText((double) (current - baseline) / baseline) + " %")
                .append(", tolerance ").append(Tolerance.percentText(tolerance)).append(" %");
        if (estimated()) {
            line.append(", sampling error ±").append(SizeFormatter.format(samplingError));
        }
        return line.append(')').toString();
    }

    /** {@code native peak}: which figure, as messages name it. */
    public String name() {
        return domain.label() + " " + figure.label();
    }
}
