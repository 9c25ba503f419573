package dev.memtrack.internal.extension;

/** One limit in force for a test, from an annotation or a suite-wide default. */
record DeclaredLimit(LimitAttribute attribute, long bytes) {
}
