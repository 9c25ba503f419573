package dev.memtrack.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.baseline.BaselineMode;
import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.baseline.Tolerance;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@code memtrack.baseline.*} as {@link ConfigurationReader} reads it (issue 14). */
class BaselineConfigurationTests {

    private static BaselineSettings baseline(Map<String, String> parameters) {
        return new ConfigurationReader(key -> Optional.ofNullable(parameters.get(key))).baseline(BaselineConfigurationTests.class);
    }

    /** The module of this test class: the directory above {@code target/test-classes}, which holds pom.xml. */
    private static Path moduleRoot() throws URISyntaxException {
        return Path.of(BaselineConfigurationTests.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent().getParent();
    }

    @Test
    void offByDefault() {
        assertThat(baseline(Map.of())).isEqualTo(BaselineSettings.OFF);
    }

    @Test
    void theDefaultFileIsInTheModuleRootWhateverTheWorkingDirectory() throws URISyntaxException {
        BaselineSettings settings = baseline(Map.of("memtrack.baseline.mode", "Check"));

        assertThat(settings.mode()).isEqualTo(BaselineMode.CHECK);
        assertThat(settings.file()).isEqualTo(moduleRoot().resolve("memtrack-baseline.json"));
        assertThat(moduleRoot().resolve("pom.xml")).isRegularFile();
        assertThat(settings.tolerance()).isEqualTo(Tolerance.uniform(0.10));
    }

    @Test
    void relativeFilesResolveAgainstTheModuleRootAndPerFigureTolerancesOverrideTheCommonOne() throws URISyntaxException {
        BaselineSettings settings = baseline(Map.of("memtrack.baseline.mode", "record",
                "memtrack.baseline.file", "perf/baseline.json",
                "memtrack.baseline.tolerance", "5%",
                "memtrack.baseline.tolerance.leaked", "0%"));

        assertThat(settings.file()).isEqualTo(moduleRoot().resolve("perf/baseline.json"));
        assertThat(settings.tolerance()).isEqualTo(new Tolerance(0.05, 0.05, 0.0));
    }

    @Test
    void badValuesFailEvenWhenTheModeIsOff() {
        assertThatThrownBy(() -> baseline(Map.of("memtrack.baseline.tolerance", "10 percent")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("memtrack configuration parameter memtrack.baseline.tolerance = '10 percent': '10 percent' is not a"
                        + " tolerance; expected a percentage of 0% or more, e.g. \"10%\" or \"2.5%\"");
        assertThatThrownBy(() -> baseline(Map.of("memtrack.baseline.file", "a\0b")))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("memtrack configuration parameter memtrack.baseline.file = 'a\0b': 'a\0b' is not a path: ")
                .hasMessageEndingWith("; expected a file, e.g. \"memtrack-baseline.json\"");
    }
}
