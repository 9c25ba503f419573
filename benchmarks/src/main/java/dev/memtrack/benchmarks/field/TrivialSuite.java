package dev.memtrack.benchmarks.field;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.memtrack.TrackMemory;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * B3: 500 trivial tests (each repetition is its own test with its own report), the per-test fixed
 * cost of a suite of many small tests. The test allocates nothing of its own, so everything
 * {@code @TrackMemory} adds to it is the fixed cost: scope, settling, capture, report.
 */
public abstract class TrivialSuite {

    static final int TESTS = 500;

    @RepeatedTest(TESTS)
    void trivial(RepetitionInfo repetition) {
        assertEquals(repetition.getCurrentRepetition() * 2, repetition.getCurrentRepetition() + repetition.getCurrentRepetition());
    }

    /** Measured: memtrack on every test of the class. */
    @TrackMemory
    public static final class Tracked extends TrivialSuite {
    }

    /** The same tests without memtrack. */
    public static final class Untracked extends TrivialSuite {
    }
}
