package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import org.opentest4j.AssertionFailedError;

/**
 * A failed verdict, ready to throw: the message text, the limit as {@code expected} and the
 * measured figure as {@code actual}, both formatted sizes so an IDE's comparison view reads
 * "0 B" against "3.2 MiB".
 */
@API(status = INTERNAL, since = "0.1")
public record VerdictMessage(String text, String expected, String actual) {

    public AssertionFailedError toAssertionFailedError() {
        return new AssertionFailedError(text, expected, actual);
    }

    @Override
    public String toString() {
        return text;
    }
}
