package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A test's baseline configuration, resolved and validated before the test runs.
 *
 * @param mode      {@code memtrack.baseline.mode}
 * @param file      {@code memtrack.baseline.file}, absolute (relative values are resolved
 *                  against the module root, {@link ModuleRoot})
 * @param tolerance {@code memtrack.baseline.tolerance} with its per-figure overrides
 */
@API(status = INTERNAL, since = "0.1")
public record BaselineSettings(BaselineMode mode, Path file, Tolerance tolerance) {

    /** The default file name, in the module root. */
    public static final String DEFAULT_FILE_NAME = "memtrack-baseline.json";

    public static final BaselineSettings OFF = new BaselineSettings(BaselineMode.OFF, Path.of(DEFAULT_FILE_NAME).toAbsolutePath(),
            Tolerance.DEFAULT);

    public BaselineSettings {
        Objects.requireNonNull(mode, "mode");
        file = file.toAbsolutePath().normalize();
        Objects.requireNonNull(tolerance, "tolerance");
    }
}
