package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A baseline file that cannot be read as one: one line naming the file, the line and what was
 * wrong, e.g. {@code memtrack baseline file /m/memtrack-baseline.json, line 4: expected ',' or '}'
 * after a member, found 'x'; fix the line or record the baseline again}.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    BaselineFormatException(Path file, int line, String problem) {
        super("memtrack baseline file " + file + ", line " + line + ": " + problem
                + "; fix the line or record the baseline again (memtrack.baseline.mode=record)");
    }
}
