package dev.memtrack.internal.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.report.CaptureSink;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.function.ThrowingConsumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.JUnitException;

/**
 * A re-run without {@code mvn clean}: the test's output directory still holds the
 * {@code memtrack} directory of the previous run. JUnit 5.12's publishDirectory creates the
 * directory without checking and fails; the report must still be attached, with nothing logged.
 */
class FileAttachmentsTests {

    @TempDir
    Path dir;

    @Test
    void aRerunOverTheOutputOfAnEarlierRunStillAttachesTheReport() throws Exception {
        Path outputDir = Files.createDirectories(dir.resolve("junit-output/StoreTest/writesKeys"));
        Path html = Files.writeString(dir.resolve("StoreTest.writesKeys.html"), "<html>run 2</html>");
        Path capture = Files.write(dir.resolve("StoreTest.writesKeys.mtcap"), new byte[] {'M', 'T'});
        Files.createDirectory(outputDir.resolve(FileAttachments.DIRECTORY)); // left by run 1
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = capturing(logged);
        Logger.getLogger("dev.memtrack").addHandler(handler);
        try {
            FileAttachments.attach(junit512Context(outputDir), new CaptureSink.WrittenFiles(capture, html));
        } finally {
            Logger.getLogger("dev.memtrack").removeHandler(handler);
        }

        Path published = outputDir.resolve(FileAttachments.RERUN_DIRECTORY);
        assertThat(published.resolve(html.getFileName())).hasContent("<html>run 2</html>");
        assertThat(published.resolve(capture.getFileName())).exists();
        assertThat(logged).as("nothing logged at INFO or above").noneMatch(r -> r.getLevel().intValue() >= 800);
    }

    @Test
    void attachesLinksThatTakeNoSecondCopyAndNoHtmlThatWasNotWritten() throws Exception {
        Path outputDir = Files.createDirectories(dir.resolve("junit-output/StoreTest/passes"));
        Path html = dir.resolve("StoreTest.passes.html"); // not written: the test passed
        Path capture = Files.write(dir.resolve("StoreTest.passes.mtcap"), new byte[] {'M', 'T', 'C'});

        FileAttachments.attach(junit512Context(outputDir), new CaptureSink.WrittenFiles(capture, html, false));

        Path published = outputDir.resolve(FileAttachments.DIRECTORY);
        assertThat(published.resolve(capture.getFileName())).hasBinaryContent(new byte[] {'M', 'T', 'C'});
        assertThat(Files.isSameFile(published.resolve(capture.getFileName()), capture)).as("a hard link to the capture").isTrue();
        assertThat(published.resolve(html.getFileName())).doesNotExist();
    }

    @TrackMemory
    static class TwoTestsTestCase {
        @Test
        void first() {
        }

        @Test
        void second() {
        }
    }

    /**
     * EngineTestKit's launcher has no output directory, so attaching fails there: each launcher
     * says so once (whether a launcher can take attachments is its own, not the JVM's).
     */
    @Test
    void eachLauncherSaysOnceThatItCouldNotAttach() {
        assumeTrue(java.util.Arrays.stream(ExtensionContext.class.getMethods()).anyMatch(m -> m.getName().equals("publishDirectory")),
                "JUnit 5.12+ (file publishing)");
        List<LogRecord> logged = new ArrayList<>();
        Handler handler = capturing(logged);
        Logger.getLogger("dev.memtrack").addHandler(handler);
        try {
            EngineRun.withFakeTracker().execute(TwoTestsTestCase.class);
            EngineRun.withFakeTracker().execute(TwoTestsTestCase.class);
        } finally {
            Logger.getLogger("dev.memtrack").removeHandler(handler);
        }

        assertThat(logged).filteredOn(r -> r.getMessage().startsWith("memtrack: could not attach the report of "))
                .as("one per launcher, not one per test").hasSize(2);
    }

    /** An ExtensionContext whose publishDirectory behaves like JUnit 5.12.2's. */
    private static ExtensionContext junit512Context(Path outputDir) {
        return (ExtensionContext) Proxy.newProxyInstance(FileAttachmentsTests.class.getClassLoader(),
                new Class<?>[] {ExtensionContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "publishDirectory" -> {
                        Path target = outputDir.resolve((String) args[0]);
                        try {
                            Files.createDirectory(target);
                            @SuppressWarnings("unchecked")
                            ThrowingConsumer<Path> action = (ThrowingConsumer<Path>) args[1];
                            action.accept(target);
                        } catch (Throwable t) {
                            throw new JUnitException("Failed to publish path", t);
                        }
                        yield null;
                    }
                    case "getDisplayName" -> "writesKeys()";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Handler capturing(List<LogRecord> records) {
        return new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
