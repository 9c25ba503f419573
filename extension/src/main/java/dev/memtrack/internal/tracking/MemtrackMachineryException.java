package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * memtrack's own machinery failed (the agent, settling, writing the report). The message starts
 * with "memtrack could not" and says why, so such a failure is never mistaken for the test's own
 * error nor hidden.
 */
@API(status = INTERNAL, since = "0.1")
public final class MemtrackMachineryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private MemtrackMachineryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code memtrack could not <what>: <cause>}. */
    public static MemtrackMachineryException couldNot(String what, Throwable cause) {
        String why = cause.getMessage() == null ? cause.getClass().getName() : cause.getClass().getName() + ": " + cause.getMessage();
        return new MemtrackMachineryException("memtrack could not " + what + ": " + why, cause);
    }
}
