package dev.memtrack.internal.junit;

import dev.memtrack.Attribution;
import dev.memtrack.internal.baseline.BaselineMode;
import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.baseline.Figure;
import dev.memtrack.internal.baseline.ModuleRoot;
import dev.memtrack.internal.baseline.Tolerance;
import dev.memtrack.internal.message.MessageContext;
import dev.memtrack.internal.report.ReportHtml;
import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.tracking.LimitAttribute;
import dev.memtrack.internal.tracking.TrackingSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * memtrack's JUnit configuration parameters ({@code junit-platform.properties}, system properties,
 * launcher configuration), read and validated. A bad value fails the test with an
 * {@link ExtensionConfigurationException} naming the key, the value and what is allowed; a blank
 * value counts as not set.
 */
final class ConfigurationReader {

    static final String ENABLED = "memtrack.enabled";
    static final String TRACK = "memtrack.track";
    static final String REPORT_DIR = "memtrack.report.dir";
    static final String REPORT_HTML = "memtrack.report.html";
    static final String REPORT_JSON = "memtrack.report.json";
    static final String SETTLE_TIMEOUT = "memtrack.settle.timeout";
    static final String SITES_SHOWN = "memtrack.sites.shown";
    static final String ATTRIBUTION = "memtrack.attribution";
    static final String DEFAULT_PEAK_LIMIT = LimitAttribute.PEAK.defaultKey();
    static final String DEFAULT_LEAK_LIMIT = LimitAttribute.LEAK.defaultKey();
    static final String DEFAULT_ALLOCATION_LIMIT = LimitAttribute.ALLOCATION.defaultKey();
    static final String MANAGED_ENABLED = "memtrack.managed.enabled";
    static final String MANAGED_SAMPLING_INTERVAL = "memtrack.managed.samplingInterval";
    static final String MANAGED_PEAK_RESOLUTION = "memtrack.managed.peakResolution";
    // baselines (issue 14)
    static final String BASELINE_MODE = "memtrack.baseline.mode";
    static final String BASELINE_FILE = "memtrack.baseline.file";
    static final String BASELINE_TOLERANCE = "memtrack.baseline.tolerance";

    static final Path DEFAULT_REPORT_DIR = TrackingSettings.DEFAULT_REPORT_DIR;
    static final Duration DEFAULT_SETTLE_TIMEOUT = TrackingSettings.DEFAULT_SETTLE_TIMEOUT;

    private final Function<String, Optional<String>> parameters;

    ConfigurationReader(Function<String, Optional<String>> parameters) {
        this.parameters = parameters;
    }

    static ConfigurationReader of(ExtensionContext context) {
        return new ConfigurationReader(context::getConfigurationParameter);
    }

    boolean enabled() {
        return read(ENABLED, ConfigurationReader::bool).orElse(true);
    }

    /** {@code memtrack.track}: {@code all} tracks every test of the run; {@code annotated} (default) only {@code @TrackMemory} ones. */
    boolean trackAll() {
        return read(TRACK, ConfigurationReader::trackMode).orElse(false);
    }

    private static boolean trackMode(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "all" -> true;
            case "annotated" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a tracking mode; expected all or annotated");
        };
    }

    private static boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a boolean; expected true or false");
        };
    }

    Path reportDir() {
        return read(REPORT_DIR, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason()
                        + "; expected a directory, e.g. \"target/memtrack\"", e);
            }
        }).orElse(DEFAULT_REPORT_DIR);
    }

    /** {@code memtrack.report.html}: {@code failed} (default), {@code always} or {@code never}. */
    ReportHtml reportHtml() {
        return read(REPORT_HTML, ReportHtml::parse).orElse(ReportHtml.FAILED);
    }

    /** {@code memtrack.report.json}: {@code failed}, {@code always} or {@code never}; unset: as {@code memtrack.report.html}. */
    Optional<ReportHtml> reportJson() {
        return read(REPORT_JSON, ReportHtml::parse);
    }

    Duration settleTimeout() {
        return read(SETTLE_TIMEOUT, DurationParser::parse).orElse(DEFAULT_SETTLE_TIMEOUT);
    }

    int sitesShown() {
        return read(SITES_SHOWN, text -> {
            try {
                int n = Integer.parseInt(text);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below with what is allowed
            }
            throw new IllegalArgumentException("'" + text + "' is not a count of sites; expected a whole number of 0 or more");
        }).orElse(MessageContext.DEFAULT_SITES_SHOWN);
    }

    /** {@code test-threads} or {@code process}; empty when not configured. */
    Optional<Attribution> attribution() {
        return read(ATTRIBUTION, text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "test-threads" -> Attribution.TEST_THREADS;
            case "process" -> Attribution.PROCESS;
            default -> throw new IllegalArgumentException("'" + text + "' is not an attribution mode; expected test-threads or process");
        });
    }

    /** {@code memtrack.managed.enabled}: measure the Java heap too (default true). */
    boolean managedEnabled() {
        return read(MANAGED_ENABLED, ConfigurationReader::bool).orElse(true);
    }

    /**
     * {@code memtrack.managed.samplingInterval}: average bytes between heap samples, a size such as
     * {@code 256KB}, or {@code exact} (every object, 0); empty when not configured (the engine's).
     */
    OptionalInt managedSamplingInterval() {
        return read(MANAGED_SAMPLING_INTERVAL, text -> {
            if ("exact".equalsIgnoreCase(text)) {
                return 0;
            }
            String allowed = "expected a size from 1B to " + Integer.MAX_VALUE + "B, e.g. \"256KB\", or \"exact\" to sample every object";
            long bytes;
            try {
                bytes = SizeParser.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + text + "' is neither a size nor \"exact\"; " + allowed, e);
            }
            if (bytes < 1 || bytes > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("'" + text + "' is out of range; " + allowed);
            }
            return (int) bytes;
        }).map(OptionalInt::of).orElse(OptionalInt.empty());
    }

    /**
     * {@code memtrack.managed.peakResolution}: objects at least this large count in the managed peak
     * from their allocation on; empty when not configured (the engine's large-object threshold).
     */
    OptionalLong managedPeakResolution() {
        return read(MANAGED_PEAK_RESOLUTION, SizeParser::parse).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** A suite-wide default limit in bytes, from one of the {@code memtrack.default.*} keys. */
    OptionalLong defaultLimit(String key) {
        return read(key, SizeParser::parse).map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    // ---- baselines (issue 14) ------------------------------------------------------------------

    /**
     * {@code memtrack.baseline.*}: the mode, the file (relative paths against the module root of
     * {@code testClass}, {@link ModuleRoot}) and the tolerance, {@code .peak}, {@code .allocated}
     * and {@code .leaked} overriding the common one.
     */
    BaselineSettings baseline(Class<?> testClass) {
        // every key is validated even when the mode is off, so a typo shows on the first run, not in CI's check
        BaselineMode mode = read(BASELINE_MODE, BaselineMode::parse).orElse(BaselineMode.OFF);
        Path file = read(BASELINE_FILE, text -> {
            try {
                return Path.of(text);
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason()
                        + "; expected a file, e.g. \"" + BaselineSettings.DEFAULT_FILE_NAME + "\"", e);
            }
        }).orElse(Path.of(BaselineSettings.DEFAULT_FILE_NAME));
        Tolerance tolerance = Tolerance.uniform(read(BASELINE_TOLERANCE, Tolerance::parsePercent).orElse(Tolerance.DEFAULT.peak()));
        for (Figure figure : Figure.values()) {
            var override = read(BASELINE_TOLERANCE + "." + figure.label(), Tolerance::parsePercent);
            if (override.isPresent()) {
                tolerance = tolerance.with(figure, override.get());
            }
        }
        if (mode == BaselineMode.OFF) {
            return BaselineSettings.OFF;
        }
        if (!file.isAbsolute()) {
            file = ModuleRoot.of(testClass).resolve(file);
        }
        return new BaselineSettings(mode, file, tolerance);
    }

    /** The text as configured, for messages; empty when not set. */
    Optional<String> raw(String key) {
        return parameters.apply(key).map(String::strip).filter(text -> !text.isEmpty());
    }

    private <T> Optional<T> read(String key, Function<String, T> parser) {
        Optional<String> text = raw(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(text.get()));
        } catch (IllegalArgumentException e) {
            throw new ExtensionConfigurationException(element(key, text.get()) + ": " + e.getMessage(), e);
        }
    }

    /** How messages name a configuration value: {@code memtrack configuration parameter k = 'v'}. */
    static String element(String key, String value) {
        return "memtrack configuration parameter " + key + " = '" + value + "'";
    }
}
