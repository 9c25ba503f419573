package dev.memtrack.internal.junit;

import dev.memtrack.internal.tracking.TestTracking;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The value memtrack keeps in a tracked test's store: closing it judges the test and releases its
 * scope. JUnit closes the method context's store values after the test's {@code @AfterEach}
 * methods, every extension's {@code AfterEachCallback} and {@code TestInstancePreDestroyCallback},
 * in reverse order of insertion (5.10 to 6.x alike), and reports an exception thrown there as the
 * test's failure. So leaks are judged after the test's teardown: a resource the test opened and
 * {@code @AfterEach} closed is not one. Store values put before memtrack's (by an extension
 * registered before it, whose {@code beforeEach} ran first) are closed after the verdict.
 *
 * <p>Implements both JUnit's {@code CloseableResource} (closed by JUnit 5.10–5.12) and
 * {@link AutoCloseable} (closed by 5.13+ and 6.x, which close an object implementing both once).
 */
@SuppressWarnings("deprecation")
final class TeardownVerdict implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final ExtensionContext context;
    private final TestTracking test;
    private boolean closed;

    TeardownVerdict(ExtensionContext context, TestTracking test) {
        this.context = context;
        this.test = test;
    }

    TestTracking test() {
        return test;
    }

    /** Judges, writes and publishes ({@link TestCompletion}), then releases the scope, whatever happened. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Throwable failure = null;
        try {
            TestCompletion.complete(context, test);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            try {
                test.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    throw e;
                }
                failure.addSuppressed(e);
            }
        }
    }
}
