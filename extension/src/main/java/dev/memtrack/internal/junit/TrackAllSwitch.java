package dev.memtrack.internal.junit;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apiguardian.api.API;
import org.junit.platform.launcher.LauncherDiscoveryListener;
import org.junit.platform.launcher.LauncherDiscoveryRequest;

/**
 * Makes {@code memtrack.track=all} the one switch it promises to be. Jupiter registers extensions
 * for tests without annotations only through its extension auto-detection (a
 * {@code META-INF/services/org.junit.jupiter.api.extension.Extension} file, which memtrack-junit
 * ships, and {@code junit.jupiter.extensions.autodetection.enabled=true}). This listener, which
 * the launcher loads through {@code META-INF/services} when discovery starts (JUnit 5.10 to 6.x
 * alike), turns auto-detection on for the run when {@code memtrack.track=all} is configured and
 * nobody set auto-detection either way: as a system property, which JUnit consults for every
 * configuration parameter not given explicitly, at the time it is read (the Jupiter engine reads
 * it when it executes). {@link EngineTestTracking} puts the property back when the run ends.
 *
 * <p>Without {@code memtrack.track=all} it touches nothing. With auto-detection explicitly
 * {@code false} it leaves it so and says once that Jupiter tests are then not tracked.
 */
@API(status = INTERNAL, since = "0.1")
public final class TrackAllSwitch implements LauncherDiscoveryListener {

    static final String AUTODETECTION = "junit.jupiter.extensions.autodetection.enabled";

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    /** The property's value before this class set it; {@code NOT_SET} when it set nothing. */
    private static final Object NOT_SET = new Object();
    private static Object previous = NOT_SET;

    @Override
    public void launcherDiscoveryStarted(LauncherDiscoveryRequest request) {
        ConfigurationReader config = new ConfigurationReader(request.getConfigurationParameters()::get);
        boolean trackAll;
        try {
            trackAll = config.enabled() && config.trackAll();
        } catch (RuntimeException e) {
            // the Jupiter extension and EngineTestKit runs report a bad value against each test
            LOG.log(Level.WARNING, "memtrack: " + e.getMessage());
            return;
        }
        if (!trackAll) {
            return;
        }
        Optional<String> autodetection = request.getConfigurationParameters().get(AUTODETECTION);
        if (autodetection.isEmpty()) {
            turnOn();
        } else if (!autodetection.get().trim().equalsIgnoreCase("true")) {
            LOG.warning("memtrack: memtrack.track=all cannot track the Jupiter tests of this run: " + AUTODETECTION
                    + " is set to '" + autodetection.get() + "'; remove that setting or set it to true"
                    + " (tests of other engines are tracked)");
        }
    }

    private static synchronized void turnOn() {
        if (previous == NOT_SET) {
            String before = System.getProperty(AUTODETECTION);
            previous = before == null ? null : before;
        }
        System.setProperty(AUTODETECTION, "true");
    }

    /** Puts the property back as it was before the run, if this class changed it. */
    static synchronized void restore() {
        if (previous == NOT_SET) {
            return;
        }
        if (previous == null) {
            System.clearProperty(AUTODETECTION);
        } else {
            System.setProperty(AUTODETECTION, (String) previous);
        }
        previous = NOT_SET;
    }
}
