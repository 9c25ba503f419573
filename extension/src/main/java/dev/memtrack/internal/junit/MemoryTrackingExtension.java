package dev.memtrack.internal.junit;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.MemoryCapture;
import dev.memtrack.internal.agent.ManagedTracker;
import dev.memtrack.internal.agent.NativeTracker;
import dev.memtrack.internal.tracking.Backends;
import dev.memtrack.internal.tracking.ManagedSetup;
import dev.memtrack.internal.tracking.MemtrackMachineryException;
import dev.memtrack.internal.tracking.TestIdentity;
import dev.memtrack.internal.tracking.TestTracking;
import dev.memtrack.internal.tracking.ThreadsAndTasks;
import dev.memtrack.internal.tracking.TrackingSettings;
import java.lang.reflect.Method;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * The extension behind {@code @TrackMemory}, and behind {@code memtrack.track=all} for Jupiter
 * tests (registered then by Jupiter's extension auto-detection, which {@link TrackAllSwitch}
 * turns on). Before each tracked test it resolves and validates the
 * settings and stores a {@link TestTracking}; around the test method it begins and ends the
 * native scope on the test thread (so {@code @BeforeEach}/{@code @AfterEach} are outside it) and
 * meters the thread's managed allocations. After the test's teardown ({@code @AfterEach} methods,
 * extension callbacks, store values put after memtrack's), when JUnit closes the method's store,
 * {@link TeardownVerdict} settles, checks managed leaks (the test instance is still alive), judges
 * the limits, writes the capture and publishes the figures ({@link TestCompletion}). It also
 * injects {@link MemoryCapture} parameters.
 *
 * <p>Stateless: all per-test state lives in the method's store under {@link #NAMESPACE}, so one
 * instance serves tests running concurrently.
 */
@API(status = INTERNAL, since = "0.1")
public final class MemoryTrackingExtension implements BeforeEachCallback, InvocationInterceptor, ParameterResolver {

    /** The tracker of tests run with {@code memtrack.enabled=false}: never loads the agent. */
    private static final NativeTracker SWITCHED_OFF = NativeTracker.unavailable("memtrack.enabled is false");

    static final Namespace NAMESPACE = Namespace.create(MemoryTrackingExtension.class);
    private static final String TRACKING = "tracking";

    @Override
    public void beforeEach(ExtensionContext context) {
        MisplacedAnnotations.check(context.getRequiredTestClass());
        if (!isTracked(context)) {
            return;
        }
        TrackingSettings settings = SettingsResolver.resolve(context);
        TestIdentity identity = TestIdentity.of(context);
        NativeTracker tracker;
        try {
            tracker = settings.enabled() ? Backends.tracker() : SWITCHED_OFF;
        } catch (RuntimeException | LinkageError e) {
            throw MemtrackMachineryException.couldNot("load the native tracker for " + identity.element(), e);
        }
        ManagedTracker managed;
        try {
            managed = settings.enabled() ? ManagedSetup.prepare(settings.managed()) : ManagedTracker.switchedOff();
        } catch (RuntimeException | LinkageError e) {
            throw MemtrackMachineryException.couldNot("set up managed-heap tracking for " + identity.element(), e);
        }
        if (tracker.isAvailable()) {
            try {
                // The one-time set-up of executor attribution (class instrumentation, hundreds of
                // ms at first use) runs here, outside the test method's invocation: JUnit's
                // @Timeout wraps the invocation, and its clock is the test's, not memtrack's.
                ThreadsAndTasks.prepare(tracker);
            } catch (RuntimeException | LinkageError e) {
                throw MemtrackMachineryException.couldNot("prepare the tracking of " + identity.element(), e);
            }
        }
        context.getStore(NAMESPACE).put(TRACKING, new TeardownVerdict(context, new TestTracking(tracker, managed, settings, identity)));
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                    ExtensionContext context) throws Throwable {
        proceedInScope(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
                                            ExtensionContext context) throws Throwable {
        proceedInScope(invocation, context);
    }

    /**
     * Each dynamic test of a tracked {@code @TestFactory} is a test of its own: its own scope, verdict
     * (when its context closes, after it ran) and capture. The factory method itself is not measured.
     */
    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext invocationContext,
                                     ExtensionContext context) throws Throwable {
        TestTracking factory = tracking(context);
        if (factory == null) {
            invocation.proceed();
            return;
        }
        TestIdentity identity = TestIdentity.of(context);
        TestTracking test = new TestTracking(factory.tracker(), factory.managed(), factory.settings(), identity);
        context.getStore(NAMESPACE).put(TRACKING, new TeardownVerdict(context, test));
        proceedInScope(invocation, context, test, testInstance(context));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == MemoryCapture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TestTracking test = tracking(extensionContext);
        if (test == null) {
            throw new ParameterResolutionException("MemoryCapture can only be injected into the test methods of a @TrackMemory"
                    + " test and their @BeforeEach/@AfterEach methods, not into " + parameterContext.getDeclaringExecutable());
        }
        return new TestMemoryCapture(test);
    }

    /** The scope spans exactly the invocation; ending it never hides the test's own exception. */
    private static void proceedInScope(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        TestTracking test = tracking(context);
        if (test == null) {
            invocation.proceed();
            return;
        }
        proceedInScope(invocation, context, test, context.getTestInstance().orElse(null));
    }

    private static void proceedInScope(Invocation<Void> invocation, ExtensionContext context, TestTracking test,
                                       Object testInstance) throws Throwable {
        try {
            test.begin(testInstance);
        } catch (RuntimeException e) {
            throw MemtrackMachineryException.couldNot("begin tracking " + test.identity().element(), e);
        }
        Throwable failure = null;
        try {
            invocation.proceed();
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            try {
                test.end();
            } catch (RuntimeException e) {
                RuntimeException endFailure = MemtrackMachineryException.couldNot("end tracking " + test.identity().element(), e);
                if (failure == null) {
                    throw endFailure;
                }
                failure.addSuppressed(endFailure);
            }
        }
    }

    /**
     * Annotated with {@code @TrackMemory}, or every test under {@code memtrack.track=all}. The
     * extension is also registered for every test when a project turns on Jupiter's extension
     * auto-detection for its own reasons: then it tracks only what it is asked to.
     */
    private static boolean isTracked(ExtensionContext context) {
        return !DeclaredAnnotation.find(context).isEmpty() || ConfigurationReader.of(context).trackAll();
    }

    /** The test instance of the nearest context that has one (a dynamic test's is its factory's). */
    private static Object testInstance(ExtensionContext context) {
        for (ExtensionContext c = context; ; c = c.getParent().get()) {
            if (c.getTestInstance().isPresent() || c.getParent().isEmpty()) {
                return c.getTestInstance().orElse(null);
            }
        }
    }

    private static TestTracking tracking(ExtensionContext context) {
        TeardownVerdict verdict = context.getStore(NAMESPACE).get(TRACKING, TeardownVerdict.class);
        return verdict == null ? null : verdict.test();
    }
}
