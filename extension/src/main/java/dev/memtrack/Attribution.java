package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** Whose allocations belong to a tracked test. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Attribution {

    /** The configuration parameter {@code memtrack.attribution} ({@code test-threads} or {@code process}); else {@link #TEST_THREADS}. */
    DEFAULT,

    /**
     * Allocations made by the thread running the test method. (Threads and executor tasks the
     * test starts will be included when thread inheritance lands.) Concurrent tests never see
     * each other's allocations.
     */
    TEST_THREADS,

    /**
     * Allocations made by every thread of the JVM while the test runs; only meaningful when tests
     * run one at a time. Not available in this version: a test that asks for it fails and says so.
     */
    PROCESS
}
