package dev.memtrack.internal.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteBuddyVersionTests {

    @Test
    void anOlderByteBuddyIsNamedWithTheVersionNeededAndTheFix() {
        assertThat(ByteBuddyVersion.hint("1.10.19 (from /m2/byte-buddy-1.10.19.jar)")).isEqualTo(
                " The class path has byte-buddy 1.10.19 (from /m2/byte-buddy-1.10.19.jar), older than the "
                        + ByteBuddyVersion.BUILT_WITH + " memtrack needs (another dependency, e.g. an old mockito, brings it):"
                        + " declare net.bytebuddy:byte-buddy:" + ByteBuddyVersion.BUILT_WITH + " and net.bytebuddy:byte-buddy-agent:"
                        + ByteBuddyVersion.BUILT_WITH + " as test dependencies, or update that library.");
    }

    @Test
    void theSameOrANewerOneAddsNothing() {
        assertThat(ByteBuddyVersion.hint(ByteBuddyVersion.BUILT_WITH + " (from x.jar)")).isEmpty();
        assertThat(ByteBuddyVersion.hint("1.19.0 (from x.jar)")).isEmpty();
        assertThat(ByteBuddyVersion.hint(null)).isEmpty();
        assertThat(ByteBuddyVersion.older("1.18.9", "1.18.17")).isTrue();
    }

    @Test
    void theVersionNeededIsTheOneTheBuildUses() {
        assertThat(ByteBuddyVersion.onClassPath()).startsWith(ByteBuddyVersion.BUILT_WITH + " (from ")
                .contains("byte-buddy");
    }
}
