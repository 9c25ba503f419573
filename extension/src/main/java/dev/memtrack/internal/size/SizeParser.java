package dev.memtrack.internal.size;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Reads sizes such as {@code "512B"}, {@code "64KB"}, {@code "10MB"}, {@code "1.5GB"} or
 * {@code "0"}. Units are binary (1 KB = 1024 B, as in {@code -Xmx} and pytest-memray), case does
 * not matter, {@code KiB/MiB/GiB} mean the same as {@code KB/MB/GB}, and one space may separate
 * number and unit. Errors name the value and what is allowed; callers prefix the element (the
 * annotation attribute, configuration key or method) that held it.
 */
@API(status = INTERNAL, since = "0.1")
public final class SizeParser {

    /** What a size may look like; ends every "not a size" message. */
    public static final String ALLOWED = "expected a number with an optional unit B, KB, MB, GB, KiB, MiB or GiB"
            + " (1 KB = 1024 B), e.g. \"512B\", \"64KB\", \"1.5GB\"";

    private static final Pattern SIZE = Pattern.compile("(\\d+)(\\.\\d+)? ?([A-Za-z]*)");
    private static final BigDecimal LARGEST = BigDecimal.valueOf(Long.MAX_VALUE);

    private SizeParser() {
    }

    /**
     * @return the size in bytes, 0 or more
     * @throws IllegalArgumentException when {@code text} is not a size
     */
    public static long parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("null is not a size; " + ALLOWED);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-") && SIZE.matcher(trimmed.substring(1)).matches()) {
            throw new IllegalArgumentException(quote(text) + " is negative; expected a size of 0 or more, e.g. \"0\", \"512B\", \"64KB\"");
        }
        Matcher m = SIZE.matcher(trimmed);
        if (!m.matches()) {
            throw notASize(text);
        }
        long multiplier = multiplier(m.group(3));
        if (multiplier == 0) {
            throw notASize(text);
        }
        String fraction = m.group(2);
        if (fraction != null && multiplier == 1) {
            throw new IllegalArgumentException(quote(text) + " is a fraction of a byte; expected whole bytes or a larger unit, e.g. \"1536B\" or \"1.5KB\"");
        }
        BigDecimal bytes = new BigDecimal(m.group(1) + (fraction == null ? "" : fraction))
                .multiply(BigDecimal.valueOf(multiplier))
                .setScale(0, RoundingMode.HALF_UP);
        if (bytes.compareTo(LARGEST) > 0) {
            throw new IllegalArgumentException(quote(text) + " is too large; the largest size is " + Long.MAX_VALUE + " B");
        }
        return bytes.longValueExact();
    }

    /** 0 when the unit is not one of ours; a bare number counts bytes. */
    private static long multiplier(String unit) {
        return switch (unit.toUpperCase(Locale.ROOT)) {
            case "", "B" -> 1L;
            case "KB", "KIB" -> 1L << 10;
            case "MB", "MIB" -> 1L << 20;
            case "GB", "GIB" -> 1L << 30;
            default -> 0L;
        };
    }

    private static IllegalArgumentException notASize(String text) {
        return new IllegalArgumentException(quote(text) + " is not a size; " + ALLOWED);
    }

    private static String quote(String text) {
        return "'" + text + "'";
    }
}
