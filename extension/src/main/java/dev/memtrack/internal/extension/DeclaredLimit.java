package dev.memtrack.internal.extension;

import dev.memtrack.internal.verdict.Verdict;

/** One limit in force for a test, from an annotation or a suite-wide default. */
record DeclaredLimit(LimitAttribute attribute, long bytes) {

    /** The verdict this limit asks for. */
    Verdict verdict() {
        return new Verdict(attribute.kind(), attribute.selection(), bytes);
    }
}
