package dev.memtrack.internal.extension;

import dev.memtrack.Attribution;
import dev.memtrack.internal.size.SizeParser;
import dev.memtrack.internal.verdict.DomainSelection;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
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
        ConfigurationReader config = ConfigurationReader.of(context);
        if (!config.enabled()) {
            return TrackingSettings.disabled();
        }
        var reportDir = config.reportDir();
        var settleTimeout = config.settleTimeout();
        int sitesShown = config.sitesShown();
        List<DeclaredAnnotation> declared = DeclaredAnnotation.find(context);
        checkAttribution(declared, config);
        List<DeclaredLimit> limits = new ArrayList<>();
        for (LimitAttribute attribute : LimitAttribute.values()) {
            limit(attribute, declared, config).ifPresent(bytes -> limits.add(new DeclaredLimit(attribute, bytes)));
        }
        return new TrackingSettings(true, reportDir, settleTimeout, sitesShown, limits);
    }

    private static OptionalLong limit(LimitAttribute attribute, List<DeclaredAnnotation> declared, ConfigurationReader config) {
        for (DeclaredAnnotation d : declared) {
            String value = attribute.valueOn(d.annotation());
            if (value.isEmpty()) {
                continue;
            }
            String element = d.describe(attribute.attributeName(), "\"" + value + "\"");
            if (attribute.selection() == DomainSelection.MANAGED) {
                throw new PreconditionViolationException(element + ": managed-heap limits are not available in this version,"
                        + " which measures native memory only; use " + attribute.combined().attributeName() + " or "
                        + attribute.nativeOnly().attributeName());
            }
            try {
                return OptionalLong.of(SizeParser.parse(value));
            } catch (IllegalArgumentException e) {
                throw new PreconditionViolationException(element + ": " + e.getMessage(), e);
            }
        }
        return attribute.defaultKey() == null ? OptionalLong.empty() : config.defaultLimit(attribute.defaultKey());
    }

    /** Only test-thread attribution exists in this version; asking for process-wide fails clearly. */
    private static void checkAttribution(List<DeclaredAnnotation> declared, ConfigurationReader config) {
        for (DeclaredAnnotation d : declared) {
            Attribution attribution = d.annotation().attribution();
            if (attribution == Attribution.PROCESS) {
                throw new PreconditionViolationException(d.describe("attribution", "PROCESS")
                        + ": process-wide attribution is not available in this version; use TEST_THREADS (the default)");
            }
            if (attribution != Attribution.DEFAULT) {
                return;
            }
        }
        if (config.attribution().orElse(Attribution.TEST_THREADS) == Attribution.PROCESS) {
            throw new ExtensionConfigurationException(ConfigurationReader.element(ConfigurationReader.ATTRIBUTION,
                    config.raw(ConfigurationReader.ATTRIBUTION).orElse(""))
                    + ": process-wide attribution is not available in this version; use test-threads (the default)");
        }
    }
}
