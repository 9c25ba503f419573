package dev.memtrack;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * The memory of the running test, for programmatic use. Declare a parameter of this type on a
 * test method of a {@link TrackMemory @TrackMemory} test (or on its {@code @BeforeEach} and
 * {@code @AfterEach} methods) and the extension supplies it. Thread-safe.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface MemoryCapture {

    /**
     * Native figures of the test so far: zeros before the test method starts, the final figures
     * after it returned, all zeros where native tracking is unavailable.
     */
    MemoryFigures nativeMemory();

    /**
     * Managed-heap figures of the test so far: allocated bytes exact, the others estimated from heap
     * samples; after the test, live figures are the leaked ones. Zeros where the heap is not measured.
     */
    MemoryFigures managedMemory();

    /** Where the test's capture file is written when it ends (while native tracking is available). */
    Path captureFile();

    /**
     * Where the test's HTML report is written when it ends (while native tracking is available), if
     * the test fails or {@code memtrack.report.html=always}; a passing test's report can be rendered
     * from {@link #captureFile()}.
     */
    Path reportFile();
}
