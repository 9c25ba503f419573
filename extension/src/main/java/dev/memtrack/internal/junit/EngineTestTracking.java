package dev.memtrack.internal.junit;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.message.VerdictMessage;
import dev.memtrack.internal.tracking.Backends;
import dev.memtrack.internal.tracking.LimitChecks;
import dev.memtrack.internal.tracking.ManagedSetup;
import dev.memtrack.internal.tracking.ReportPaths;
import dev.memtrack.internal.tracking.TestIdentity;
import dev.memtrack.internal.tracking.TestTracking;
import dev.memtrack.internal.tracking.TrackingSettings;
import dev.memtrack.internal.verdict.Measurement;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apiguardian.api.API;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * {@code memtrack.track=all} for the tests of every JUnit Platform engine other than Jupiter
 * (JUnit 4 through Vintage, ...): a launcher listener, loaded through {@code META-INF/services},
 * that tracks each test with its execution as scope — from {@code executionStarted} to
 * {@code executionFinished}, both reported on the thread that runs the test — then settles, judges
 * the {@code memtrack.default.*} limits after the test's own teardown, and writes the capture and
 * report, which the suite summary counts.
 *
 * <p>A launcher listener cannot fail a test. A breached limit is recorded in the capture (the
 * summary marks the test FAILED), printed when the test finishes, and listed again at the end of
 * the run. Jupiter tests are tracked by {@link MemoryTrackingExtension}, which can fail them.
 */
@API(status = INTERNAL, since = "0.1")
public final class EngineTestTracking implements TestExecutionListener {

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    private static final String JUPITER = "junit-jupiter";

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, Integer> seenElements = new ConcurrentHashMap<>();
    private final List<String> breached = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile ConfigurationReader config;

    private record Running(TestTracking test, Thread thread) {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        ConfigurationReader reader = new ConfigurationReader(testPlan.getConfigurationParameters()::get);
        try {
            config = reader.enabled() && reader.trackAll() ? reader : null;
        } catch (RuntimeException e) {
            config = null;
            LOG.warning("memtrack: tests of engines other than Jupiter are not tracked: " + e.getMessage());
        }
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        ConfigurationReader reader = config;
        if (reader == null || !identifier.isTest() || isJupiter(identifier)) {
            return;
        }
        TestIdentity identity = identity(identifier);
        try {
            TrackingSettings settings = SettingsResolver.resolve(reader, List.of(), key -> reader.raw(key), testClass(identifier));
            NativeTracker tracker = Backends.tracker();
            ManagedTracker managed = ManagedSetup.prepare(settings.managed());
            TestTracking test = new TestTracking(tracker, managed, settings, identity);
            test.begin(null);
            running.put(identifier.getUniqueId(), new Running(test, Thread.currentThread()));
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "memtrack could not track " + identity.element() + "; it runs untracked", e);
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Running run = running.remove(identifier.getUniqueId());
        if (run == null) {
            return;
        }
        TestTracking test = run.test();
        String element = test.identity().element();
        try {
            if (run.thread() != Thread.currentThread()) {
                // its scope belongs to the thread that started it; ending it here would end another's
                LOG.warning("memtrack: " + element + " finished on another thread than it started on;"
                        + " its figures are not judged");
                return;
            }
            test.end();
            complete(test, result.getStatus() != TestExecutionResult.Status.SUCCESSFUL);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "memtrack could not measure " + element + " after it ran", e);
        } finally {
            try {
                test.close();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "memtrack could not release the scope of " + element, e);
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        TrackAllSwitch.restore();
        running.clear();
        seenElements.clear();
        config = null;
        List<String> tests;
        synchronized (breached) {
            tests = List.copyOf(breached);
            breached.clear();
        }
        if (!tests.isEmpty()) {
            System.out.println();
            System.out.println("memtrack: " + tests.size() + (tests.size() == 1 ? " test" : " tests")
                    + " of engines other than Jupiter BREACHED memtrack limits (a launcher listener cannot fail them;"
                    + " their reports say why):");
            tests.forEach(test -> System.out.println("  " + test));
        }
    }

    private void complete(TestTracking test, boolean failedOnItsOwn) {
        if (!test.hasBegun() || !test.isTrackerAvailable()) {
            return;
        }
        Measurement measurement = test.finish();
        List<VerdictMessage> breaches = LimitChecks.judgeFinished(test, measurement, failedOnItsOwn);
        try {
            boolean failed = failedOnItsOwn || !breaches.isEmpty();
            test.write(test.capture(measurement), failed);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "memtrack could not write the capture and report of " + test.identity().element()
                    + " under " + ReportPaths.display(test.paths().reportDir()), e);
        }
        if (!breaches.isEmpty()) {
            String element = test.identity().element();
            breached.add(element + " (" + test.displayReport() + ")");
            System.out.println("memtrack: " + element + " BREACHED a memtrack limit (not failed: a launcher listener"
                    + " cannot fail a test of this engine):");
            breaches.forEach(breach -> System.out.println(breach.text()));
        }
    }

    private static boolean isJupiter(TestIdentifier identifier) {
        try {
            return UniqueId.parse(identifier.getUniqueId()).getEngineId().map(JUPITER::equals).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Class and method from the test's source; a repeated name in one run gets {@code [n]}. */
    /** The class a test's source names (a JUnit 4 test's), for its module root; null where none loads. */
    private static Class<?> testClass(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        String className = source.filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getClassName())
                .or(() -> source.filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName()))
                .orElse(null);
        if (className == null) {
            return null;
        }
        try {
            return Class.forName(className, false, Thread.currentThread().getContextClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private TestIdentity identity(TestIdentifier identifier) {
        Optional<TestSource> source = identifier.getSource();
        String className;
        String method;
        if (source.isPresent() && source.get() instanceof MethodSource m) {
            className = m.getClassName();
            method = m.getMethodName();
        } else if (source.isPresent() && source.get() instanceof ClassSource c) {
            className = c.getClassName();
            method = identifier.getDisplayName();
        } else {
            className = UniqueId.parse(identifier.getUniqueId()).getEngineId().orElse("engine");
            method = identifier.getDisplayName();
        }
        int seen = seenElements.merge(className + "#" + method, 1, Integer::sum);
        if (seen > 1) {
            method += "[" + seen + "]";
        }
        return new TestIdentity(identifier.getUniqueId(), className, method, identifier.getDisplayName(), classNames(className));
    }

    private static Set<String> classNames(String className) {
        Set<String> names = new LinkedHashSet<>();
        names.add(className);
        try {
            Class<?> c = Class.forName(className, false, Thread.currentThread().getContextClassLoader());
            for (c = c.getSuperclass(); c != null && c != Object.class; c = c.getSuperclass()) {
                names.add(c.getName());
            }
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            // the name alone still trims the framework frames below the test's own
        }
        return names;
    }
}
