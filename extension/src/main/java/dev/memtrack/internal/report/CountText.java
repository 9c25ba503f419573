package dev.memtrack.internal.report;

import java.util.Locale;

/**
 * Allocation counts as the reports print them: grouped by thousands, {@code 1,234,567}, the same
 * in every locale (the script's {@code count()} matches). Sizes come from
 * {@link dev.memtrack.internal.size.SizeFormatter}, shared with the failure messages.
 */
final class CountText {

    private CountText() {
    }

    static String format(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }
}
