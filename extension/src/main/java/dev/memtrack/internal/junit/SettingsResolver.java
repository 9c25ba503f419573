package dev.memtrack.internal.junit;

import dev.memtrack.Attribution;
import dev.memtrack.internal.attribution.ProcessWideMode;
import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.tracking.DeclaredLimit;
import dev.memtrack.internal.tracking.LimitAttribute;
import dev.memtrack.internal.tracking.TrackingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.PreconditionViolationException;

/**
 * Resolves a test's {@link TrackingSettings}, attribute by attribute: the method's annotation,
 * the class's, an enclosing class's, then the configuration, then the defaults. Everything is
 * validated here, before any tracker is loaded or touched.
 */
final class SettingsResolver {

    private SettingsResolver() {
    }

    static TrackingSettings resolve(ExtensionContext context) {
        return resolve(ConfigurationReader.of(context), DeclaredAnnotation.find(context), context::getConfigurationParameter,
                context.getRequiredTestClass());
    }

    /**
     * @param declared   the {@code @TrackMemory} annotations in force, innermost first (none for a
     *                   test tracked by {@code memtrack.track=all} alone)
     * @param parameters all configuration parameters, for JUnit's own keys
     * @param testClass  the test's class, whose module root holds the baseline file; null where an
     *                   engine names none (the working directory stands in)
     */
    static TrackingSettings resolve(ConfigurationReader config, List<DeclaredAnnotation> declared,
                                    Function<String, Optional<String>> parameters, Class<?> testClass) {
        if (!config.enabled()) {
            return TrackingSettings.disabled();
        }
        var reportDir = config.reportDir();
        var settleTimeout = config.settleTimeout();
        var reportHtml = config.reportHtml();
        int sitesShown = config.sitesShown();
        boolean processWide = attribution(declared, config) == Attribution.PROCESS;
        if (processWide) {
            ProcessWideMode.refuseIfConcurrent(parameters);
        }
        List<DeclaredLimit> limits = new ArrayList<>();
        for (LimitAttribute attribute : LimitAttribute.values()) {
            limit(attribute, declared, config).ifPresent(bytes -> limits.add(new DeclaredLimit(attribute, bytes)));
        }
        TrackingSettings.Managed managed = config.managedEnabled()
                ? new TrackingSettings.Managed(true, config.managedSamplingInterval(), config.managedPeakResolution())
                : TrackingSettings.Managed.OFF;
        return new TrackingSettings(true, reportDir, settleTimeout, sitesShown, limits, processWide, managed,
                config.baseline(testClass), reportHtml, config.reportJson().orElse(reportHtml));
    }

    private static OptionalLong limit(LimitAttribute attribute, List<DeclaredAnnotation> declared, ConfigurationReader config) {
        for (DeclaredAnnotation d : declared) {
            String value = attribute.valueOn(d.annotation());
            if (value.isEmpty()) {
                continue;
            }
            String element = d.describe(attribute.attributeName(), "\"" + value + "\"");
            try {
                return OptionalLong.of(SizeParser.parse(value));
            } catch (IllegalArgumentException e) {
                throw new PreconditionViolationException(element + ": " + e.getMessage(), e);
            }
        }
        return attribute.defaultKey() == null ? OptionalLong.empty() : config.defaultLimit(attribute.defaultKey());
    }

    /** The innermost annotation that says something wins, then configuration, then test threads. */
    private static Attribution attribution(List<DeclaredAnnotation> declared, ConfigurationReader config) {
        for (DeclaredAnnotation d : declared) {
            Attribution attribution = d.annotation().attribution();
            if (attribution != Attribution.DEFAULT) {
                return attribution;
            }
        }
        return config.attribution().orElse(Attribution.TEST_THREADS);
    }
}
