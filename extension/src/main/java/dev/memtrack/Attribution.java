package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** Whose allocations belong to a tracked test. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Attribution {

    /** The configuration parameter {@code memtrack.attribution} ({@code test-threads} or {@code process}); else {@link #TEST_THREADS}. */
    DEFAULT,

    /**
     * Allocations made by the thread running the test method and by what it starts during the
     * test: Java threads, tasks submitted to executors (including thread pools created before the
     * test), CompletableFuture async stages, virtual threads, and native threads a JNI library
     * creates. Concurrent tests never see each other's allocations. See docs/attribution.md.
     */
    TEST_THREADS,

    /**
     * Allocations made by every thread of the JVM while the test runs (the JVM's own bookkeeping
     * still excluded). Only meaningful when tests run one at a time: refused, with a message
     * naming the setting, when {@code junit.jupiter.execution.parallel.enabled} is true.
     */
    PROCESS
}
