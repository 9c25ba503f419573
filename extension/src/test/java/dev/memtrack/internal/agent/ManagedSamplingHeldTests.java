package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** When another agent holds heap sampling, memtrack says so once and keeps exact totals. */
class ManagedSamplingHeldTests {

    @Test
    void anotherAgentHoldingHeapSamplingLeavesExactTotals() throws Exception {
        String out = ManagedFirstUseTests.runFixture(ManagedSamplingHeldFixture.class);
        assertThat(out).contains("occupied=yes", "available=false exact=true");
        assertThat(out).contains("managed-heap sampling is held by another JVMTI agent");
        // said once: the log warning, not repeated per scope
        assertThat(Pattern.compile("WARNING: memtrack: managed-heap sampling is held").matcher(out).results().count()).isEqualTo(1);
        Matcher allocated = Pattern.compile("allocated=(\\d+)").matcher(out);
        assertThat(allocated.find()).isTrue();
        assertThat(Long.parseLong(allocated.group(1))).isBetween(10_000_000L, 10_100_000L);
        assertThat(out).contains("leaks=managed-heap sampling is held by another JVMTI agent");
    }
}
