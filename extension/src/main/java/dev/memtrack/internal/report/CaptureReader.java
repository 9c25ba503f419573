package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** Reads capture files written by {@link CaptureWriter}; what reports and the CLI start from. */
@API(status = INTERNAL, since = "0.1")
public final class CaptureReader {

    private CaptureReader() {
    }

    /**
     * Reads a capture file completely.
     *
     * @throws CaptureFormatException when the file is not a capture, has an unsupported version
     *                                or is truncated or corrupt; the message names the file
     * @throws IOException            when the file cannot be read
     */
    public static TestCapture read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return read(in, file.toString());
        }
    }

    /** Reads a capture from a stream; {@code source} names it in error messages. */
    public static TestCapture read(InputStream in, String source) throws IOException {
        try {
            return CaptureDecoder.decode(in);
        } catch (CaptureFormatException e) {
            throw new CaptureFormatException("Cannot read memtrack capture " + source + ": " + e.getMessage(), e);
        }
    }
}
