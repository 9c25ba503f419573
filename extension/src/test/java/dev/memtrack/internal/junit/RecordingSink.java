package dev.memtrack.internal.junit;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A capture sink that keeps captures in memory instead of writing files. */
final class RecordingSink implements CaptureSink {

    private final List<TestCapture> captures = new CopyOnWriteArrayList<>();
    private final IOException failure;

    private RecordingSink(IOException failure) {
        this.failure = failure;
    }

    static RecordingSink recording() {
        return new RecordingSink(null);
    }

    static RecordingSink failingWith(IOException failure) {
        return new RecordingSink(failure);
    }

    @Override
    public Optional<WrittenFiles> write(TestCapture capture, Path reportDir, boolean html) throws IOException {
        if (failure != null) {
            throw failure;
        }
        captures.add(capture);
        Path dir = reportDir.resolve(capture.testClass());
        return Optional.of(new WrittenFiles(dir.resolve(capture.testMethod() + ".mtcap"), dir.resolve(capture.testMethod() + ".html"), html));
    }

    List<TestCapture> captures() {
        return List.copyOf(captures);
    }

    TestCapture only() {
        if (captures.size() != 1) {
            throw new AssertionError("expected one capture, got " + captures.size());
        }
        return captures.get(0);
    }
}
