package dev.memtrack.internal.message;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** Who a verdict speaks about: the first word of every failure sentence. */
@API(status = INTERNAL, since = "0.1")
public enum Subject {
    /** {@code assertNoLeaks()}, {@code assertPeakBelow(..)} and {@code @TrackMemory} limits. */
    TEST("Test"),
    /** {@code assertAllocations(..)}. */
    BLOCK("Block");

    private final String word;

    Subject(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }
}
