package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/** The code {@link MemoryAssertions#assertAllocations(ThrowingBlock)} measures; it may throw anything. */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface ThrowingBlock {

    void run() throws Throwable;
}
