package dev.memtrack.internal.tracking;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Which tracked test each thread is running, so that {@code MemoryAssertions} (static methods with
 * no ExtensionContext) find the test they judge. A test is registered on its thread while its
 * method runs. A map rather than a ThreadLocal: entries are removed explicitly and nothing stays
 * attached to pooled threads.
 */
@API(status = INTERNAL, since = "0.1")
public final class ActiveTests {

    private static final Map<Thread, TestTracking> BY_THREAD = new ConcurrentHashMap<>();

    private ActiveTests() {
    }

    /** @return the test this thread was running before (a test run inside a test), or null */
    static TestTracking register(TestTracking test) {
        return BY_THREAD.put(Thread.currentThread(), test);
    }

    /** Puts back what {@link #register} replaced. */
    static void unregister(TestTracking test, TestTracking previous) {
        Thread thread = Thread.currentThread();
        if (previous == null) {
            BY_THREAD.remove(thread, test);
        } else {
            BY_THREAD.replace(thread, test, previous);
        }
    }

    static Optional<TestTracking> current() {
        return Optional.ofNullable(BY_THREAD.get(Thread.currentThread()));
    }
}
