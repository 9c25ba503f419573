package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/**
 * Elsewhere than Linux x86-64/aarch64 the loader refuses with a sentence a user can act on; the
 * tracker then becomes an unavailable one (never a crash). The platform is read from the usual
 * system properties, which these tests swap for a moment.
 */
@ResourceLock(Resources.SYSTEM_PROPERTIES)
class NativeAgentLoaderPlatformTests {

    private String osName;
    private String osArch;

    @BeforeEach
    void remember() {
        osName = System.getProperty("os.name");
        osArch = System.getProperty("os.arch");
    }

    @AfterEach
    void restore() {
        System.setProperty("os.name", osName);
        System.setProperty("os.arch", osArch);
    }

    @Test
    void macOsIsRefusedNamingThePlatform() {
        System.setProperty("os.name", "Mac OS X");
        System.setProperty("os.arch", "aarch64");

        assertThatThrownBy(NativeAgentLoader::platform)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("memtrack tracks native memory on Linux only (x86-64 and aarch64 with glibc); this is Mac OS X on aarch64");
    }

    @Test
    void anUnsupportedCpuIsRefusedNamingIt() {
        System.setProperty("os.name", "Linux");
        System.setProperty("os.arch", "riscv64");

        assertThatThrownBy(NativeAgentLoader::platform)
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("memtrack supports Linux on x86-64 and aarch64; this CPU is riscv64");
    }

    @Test
    void linuxOnX86AndArmMapToTheBundledLibraryFolders() {
        System.setProperty("os.name", "Linux");
        System.setProperty("os.arch", "amd64");
        assertThat(NativeAgentLoader.platform()).isEqualTo("linux-x86_64");
        System.setProperty("os.arch", "aarch64");
        assertThat(NativeAgentLoader.platform()).isEqualTo("linux-aarch64");
    }

    @Test
    void anUnavailableTrackerRecordsNothingAndSaysWhy() {
        NativeTracker tracker = new NativeTrackerUnavailable("memtrack tracks native memory on Linux only");

        assertThat(tracker.isAvailable()).isFalse();
        assertThat(tracker.beginScope()).isZero();
        assertThat(tracker.report(0).sites()).isEmpty();
        assertThat(tracker.status()).isEqualTo("native tracking unavailable: memtrack tracks native memory on Linux only");
    }
}
