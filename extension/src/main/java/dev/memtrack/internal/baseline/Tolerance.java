package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * How much a figure may grow over its baseline before the check fails, per figure, as fractions
 * (0.1 = 10 %). A figure fails when it is strictly above {@code baseline × (1 + tolerance)}.
 */
@API(status = INTERNAL, since = "0.1")
public record Tolerance(double peak, double allocated, double leaked) {

    /** {@code memtrack.baseline.tolerance}'s default: 10 % for every figure. */
    public static final Tolerance DEFAULT = uniform(0.10);

    /** What a tolerance may look like; ends every "not a tolerance" message. */
    public static final String ALLOWED = "expected a percentage of 0% or more, e.g. \"10%\" or \"2.5%\"";

    private static final Pattern PERCENT = Pattern.compile("\\d+(\\.\\d+)? ?%");

    public static Tolerance uniform(double fraction) {
        return new Tolerance(fraction, fraction, fraction);
    }

    public double of(Figure figure) {
        return switch (figure) {
            case PEAK -> peak;
            case ALLOCATED -> allocated;
            case LEAKED -> leaked;
        };
    }

    public Tolerance with(Figure figure, double fraction) {
        return switch (figure) {
            case PEAK -> new Tolerance(fraction, allocated, leaked);
            case ALLOCATED -> new Tolerance(peak, fraction, leaked);
            case LEAKED -> new Tolerance(peak, allocated, fraction);
        };
    }

    /**
     * Reads {@code "10%"}, {@code "2.5 %"}; the percent sign is required, so that {@code 0.1} cannot
     * be read as 10 % by one person and 0.1 % by another.
     *
     * @return the fraction (10 % is 0.1)
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static double parsePercent(String text) {
        String trimmed = text.strip();
        if (!PERCENT.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a tolerance; " + ALLOWED);
        }
        String number = trimmed.substring(0, trimmed.length() - 1).strip();
        return new BigDecimal(number).movePointLeft(2).doubleValue();
    }

    /** {@code 10}, {@code 2.5}: a fraction as the percentage messages show (one decimal at most). */
    public static String percentText(double fraction) {
        double percent = Math.round(fraction * 1000) / 10.0;
        if (percent == Math.rint(percent)) {
            return String.format(Locale.ROOT, "%d", (long) percent);
        }
        return String.format(Locale.ROOT, "%.1f", percent);
    }
}
