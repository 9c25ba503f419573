package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static dev.memtrack.internal.junit.EngineRun.reportEntries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.AssertionFailedError;

/**
 * Leaks are judged after the test's teardown: {@code @AfterEach} methods, other extensions'
 * {@code AfterEachCallback}s and closeable store values put after memtrack's all run first, on
 * every JUnit version CI runs (5.10, 5.14, 6.x); a verdict thrown from the store's close is the
 * test's failure. With a fake tracker.
 */
class TeardownEngineTests {

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    /**
     * A resource the test opens; JUnit closes it as a store value of the test's context (5.10–5.12
     * close only {@code CloseableResource}s, 5.13+ {@code AutoCloseable}s too, each once).
     */
    @SuppressWarnings("deprecation")
    static final class Handle implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private long address;

        void open(long bytes, Class<?> testClass, String method, int line) {
            address = tracker().malloc(bytes, Stacks.at(testClass, method, line));
        }

        @Override
        public void close() {
            if (address != 0) {
                tracker().free(address);
                address = 0;
            }
        }
    }

    /** Injects a {@link Handle} kept in the method's store: closed when the test's context closes. */
    static final class HandleExtension implements ParameterResolver {
        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Handle.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            Handle handle = new Handle();
            context.getStore(ExtensionContext.Namespace.create(HandleExtension.class)).put("handle", handle);
            return handle;
        }
    }

    /** Frees in its AfterEachCallback what the test left in {@link #opened}. */
    static final class FreeingExtension implements AfterEachCallback {
        static volatile long opened;

        @Override
        public void afterEach(ExtensionContext context) {
            if (opened != 0) {
                tracker().free(opened);
                opened = 0;
            }
        }
    }

    @TrackMemory(nativeLeakLimit = "0")
    static class AfterEachMethodTestCase {
        private static long opened;

        @Test
        void opens() {
            opened = tracker().malloc(1_234_567, Stacks.at(AfterEachMethodTestCase.class, "opens", 10));
        }

        @AfterEach
        void closes() {
            tracker().free(opened);
        }
    }

    @TrackMemory(nativeLeakLimit = "0")
    @ExtendWith(HandleExtension.class)
    @ExtendWith(FreeingExtension.class)
    static class ExtensionTeardownTestCase {
        @Test
        void opensAStoreValue(Handle handle) {
            handle.open(2_345_678, ExtensionTeardownTestCase.class, "opensAStoreValue", 20);
        }

        @Test
        void opensWhatAnAfterEachCallbackFrees() {
            FreeingExtension.opened = tracker().malloc(3_456_789, Stacks.at(ExtensionTeardownTestCase.class, "opensWhatAnAfterEachCallbackFrees", 30));
        }
    }

    @TrackMemory(nativeLeakLimit = "0")
    static class NoTeardownTestCase {
        @Test
        void opens() {
            tracker().malloc(1_234_567, Stacks.at(NoTeardownTestCase.class, "opens", 40));
        }

        @AfterEach
        void closesNothing() {
        }
    }

    @Test
    void whatAfterEachClosesIsNoLeak() {
        var results = EngineRun.withFakeTracker().execute(AfterEachMethodTestCase.class);

        assertAllPassed(results);
        assertThat(reportEntries(results)).contains(entry("memtrack.native.leaked", "0"), entry("memtrack.native.peak", "1234567"));
    }

    @Test
    void whatExtensionsCloseInTheirTeardownIsNoLeak() {
        var results = EngineRun.withFakeTracker().execute(ExtensionTeardownTestCase.class);

        assertAllPassed(results);
        assertThat(results.testEvents().succeeded().count()).isEqualTo(2);
    }

    @Test
    void aLeakJudgedAfterTheTeardownFailsTheTestItself() {
        EngineRun run = EngineRun.withFakeTracker();

        Throwable failure = onlyFailure(run.execute(NoTeardownTestCase.class));

        assertThat(failure).isInstanceOf(AssertionFailedError.class)
                .hasMessageStartingWith("Test leaked 1.2 MiB of native memory in 1 allocation (allowed: 0 B)");
        assertThat(run.sink.only().failures()).singleElement().asString()
                .startsWith("Test leaked 1.2 MiB of native memory in 1 allocation (allowed: 0 B)");
        assertThat(run.tracker.isReleased(1)).isTrue();
    }
}
