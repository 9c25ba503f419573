package dev.memtrack.internal.junit;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads {@code memtrack.settle.timeout}: {@code "5s"}, {@code "500ms"}, {@code "2m"}, {@code "PT5S"} or plain milliseconds. */
final class DurationParser {

    static final String ALLOWED = "expected a number of milliseconds, a number with unit ms, s or m (e.g. \"500ms\", \"5s\")"
            + " or an ISO-8601 duration (e.g. \"PT5S\")";

    private static final Pattern SHORT = Pattern.compile("(\\d+) ?(ms|s|m)?");

    private DurationParser() {
    }

    static Duration parse(String text) {
        String trimmed = text.strip();
        Duration duration = parseShort(trimmed);
        if (duration == null) {
            try {
                duration = Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration; " + ALLOWED, e);
            }
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException("'" + text + "' is negative; expected a duration of 0 or more");
        }
        return duration;
    }

    private static Duration parseShort(String text) {
        Matcher m = SHORT.matcher(text);
        if (!m.matches()) {
            return null;
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration; " + ALLOWED, e);
        }
        String unit = m.group(2) == null ? "ms" : m.group(2);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                default -> Duration.ofMinutes(amount);
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too long a duration; " + ALLOWED, e);
        }
    }
}
