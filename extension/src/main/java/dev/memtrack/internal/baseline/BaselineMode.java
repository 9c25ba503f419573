package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** {@code memtrack.baseline.mode}: what a run does with the baseline file. */
@API(status = INTERNAL, since = "0.1")
public enum BaselineMode {
    /** The default: the baseline file is neither read nor written. */
    OFF,
    /** Each tracked test that passes writes its figures (and its capture) into the baseline. */
    RECORD,
    /** Each tracked test is compared with its baseline entry; growth beyond tolerance fails it. */
    CHECK;

    /**
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static BaselineMode parse(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "off" -> OFF;
            case "record" -> RECORD;
            case "check" -> CHECK;
            default -> throw new IllegalArgumentException("'" + text + "' is not a baseline mode; expected off, record or check");
        };
    }
}
