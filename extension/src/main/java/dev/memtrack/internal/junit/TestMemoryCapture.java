package dev.memtrack.internal.junit;

import dev.memtrack.MemoryCapture;
import dev.memtrack.MemoryFigures;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.tracking.TestTracking;
import java.nio.file.Path;

/** The {@link MemoryCapture} the extension injects: a live view of one {@link TestTracking}. */
final class TestMemoryCapture implements MemoryCapture {

    private final TestTracking test;

    TestMemoryCapture(TestTracking test) {
        this.test = test;
    }

    @Override
    public MemoryFigures nativeMemory() {
        Figures f = test.nativeFigures();
        return new MemoryFigures(f.allocatedBytes(), f.allocatedCount(), f.liveBytes(), f.liveCount(), f.peakBytes());
    }

    @Override
    public MemoryFigures managedMemory() {
        Figures f = test.managedFigures();
        return new MemoryFigures(f.allocatedBytes(), f.allocatedCount(), f.liveBytes(), f.liveCount(), f.peakBytes());
    }

    @Override
    public Path captureFile() {
        return test.paths().capture();
    }

    @Override
    public Path reportFile() {
        return test.paths().html();
    }

    @Override
    public String toString() {
        return "MemoryCapture[" + test.identity().element() + ", native " + nativeMemory() + ", managed " + managedMemory() + "]";
    }
}
