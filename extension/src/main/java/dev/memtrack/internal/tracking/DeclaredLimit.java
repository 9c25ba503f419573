package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.verdict.Verdict;
import org.apiguardian.api.API;

/** One limit in force for a test, from an annotation or a suite-wide default. */
@API(status = INTERNAL, since = "0.1")
public record DeclaredLimit(LimitAttribute attribute, long bytes) {

    /** The verdict this limit asks for. */
    Verdict verdict() {
        return new Verdict(attribute.kind(), attribute.selection(), bytes);
    }
}
