package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import org.apiguardian.api.API;

/**
 * A capture file that memtrack cannot read: wrong magic, unsupported version, truncated or
 * corrupt content. An {@link IOException} because callers handle it where they handle the file
 * not being there; the message names the file and what was expected.
 */
@API(status = INTERNAL, since = "0.1")
public final class CaptureFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String message) {
        super(message);
    }

    public CaptureFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
