package dev.memtrack.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.Attribution;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class ConfigurationReaderTests {

    private static ConfigurationReader reader(Map<String, String> parameters) {
        return new ConfigurationReader(key -> Optional.ofNullable(parameters.get(key)));
    }

    @Test
    void defaultsApplyWhenNothingIsConfigured() {
        ConfigurationReader config = reader(Map.of());

        assertThat(config.enabled()).isTrue();
        assertThat(config.reportDir()).isEqualTo(Path.of("target/memtrack"));
        assertThat(config.settleTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.sitesShown()).isEqualTo(5);
        assertThat(config.attribution()).isEmpty();
        assertThat(config.defaultLimit(ConfigurationReader.DEFAULT_PEAK_LIMIT)).isEmpty();
    }

    @Test
    void readsEveryKey() {
        ConfigurationReader config = reader(Map.of(
                "memtrack.enabled", "FALSE",
                "memtrack.report.dir", "build/memory",
                "memtrack.settle.timeout", "PT2S",
                "memtrack.sites.shown", "0",
                "memtrack.attribution", "Test-Threads",
                "memtrack.default.peakLimit", " 1.5GB ",
                "memtrack.default.leakLimit", ""));

        assertThat(config.enabled()).isFalse();
        assertThat(config.reportDir()).isEqualTo(Path.of("build/memory"));
        assertThat(config.settleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.sitesShown()).isZero();
        assertThat(config.attribution()).contains(Attribution.TEST_THREADS);
        assertThat(config.defaultLimit(ConfigurationReader.DEFAULT_PEAK_LIMIT)).hasValue(1_610_612_736L);
        assertThat(config.defaultLimit(ConfigurationReader.DEFAULT_LEAK_LIMIT)).isEmpty();
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> reader(Map.of("memtrack.enabled", "yes")).enabled())
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.enabled = 'yes': 'yes' is not a boolean; expected true or false");
        assertThatThrownBy(() -> reader(Map.of("memtrack.sites.shown", "-1")).sitesShown())
                .hasMessage("memtrack configuration parameter memtrack.sites.shown = '-1': '-1' is not a count of sites;"
                        + " expected a whole number of 0 or more");
        assertThatThrownBy(() -> reader(Map.of("memtrack.attribution", "threads")).attribution())
                .hasMessage("memtrack configuration parameter memtrack.attribution = 'threads': 'threads' is not an attribution mode;"
                        + " expected test-threads or process");
        assertThatThrownBy(() -> reader(Map.of("memtrack.default.leakLimit", "10 MBs")).defaultLimit("memtrack.default.leakLimit"))
                .hasMessageStartingWith("memtrack configuration parameter memtrack.default.leakLimit = '10 MBs': '10 MBs' is not a size;");
        assertThatThrownBy(() -> reader(Map.of("memtrack.report.dir", "a\0b")).reportDir())
                .hasMessageStartingWith("memtrack configuration parameter memtrack.report.dir = 'a\0b': 'a\0b' is not a path");
    }
}
