package dev.memtrack.internal.size;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Writes byte counts as docs/failure-messages.md prescribes: below 1024 bytes {@code "<n> B"},
 * then KiB, MiB, GiB with one decimal in {@link Locale#ROOT} ({@code 3_333_333} is
 * {@code "3.2 MiB"}). A value that rounds up to 1024 of a unit moves to the next unit, so
 * 1 048 575 bytes read {@code "1.0 MiB"}, not {@code "1024.0 KiB"}.
 */
@API(status = INTERNAL, since = "0.1")
public final class SizeFormatter {

    private static final String[] UNITS = {"KiB", "MiB", "GiB"};

    private SizeFormatter() {
    }

    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes / 1024.0;
        int unit = 0;
        while (unit < UNITS.length - 1 && Math.round(value * 10) >= 1024 * 10) {
            value /= 1024.0;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }
}
