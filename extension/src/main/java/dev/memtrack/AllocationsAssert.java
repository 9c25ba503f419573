package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The assert {@link MemoryAssertions#assertAllocations(ThrowingBlock)} returns. Not final, with an
 * {@code (actual)} constructor, so AssertJ's soft assertions can proxy it.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class AllocationsAssert extends AbstractAllocationsAssert<AllocationsAssert> {

    public AllocationsAssert(AllocationsResult actual) {
        super(actual, AllocationsAssert.class);
    }
}
