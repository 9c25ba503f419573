package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every invocation keeps its own capture and report, with a readable name, through the real
 * report writer: parameterized and repeated methods, dynamic tests (each its own scope), and
 * {@code @ParameterizedClass} invocations (JUnit 5.13+) — nothing overwritten.
 */
class InvocationCaptureEngineTests {

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    @TrackMemory
    static class TemplatesTestCase {
        @ParameterizedTest
        @ValueSource(ints = {100, 200, 300})
        void parameterized(int bytes) {
            tracker().malloc(bytes, Stacks.at(TemplatesTestCase.class, "parameterized", 10));
        }

        @RepeatedTest(2)
        void repeated() {
            tracker().malloc(400, Stacks.at(TemplatesTestCase.class, "repeated", 20));
        }

        @TestFactory
        Stream<DynamicNode> dynamic() {
            return Stream.of(
                    DynamicTest.dynamicTest("first", () -> tracker().malloc(500, Stacks.at(TemplatesTestCase.class, "dynamic", 30))),
                    DynamicContainer.dynamicContainer("group", Stream.of(
                            DynamicTest.dynamicTest("inner one", () -> tracker().malloc(600, Stacks.at(TemplatesTestCase.class, "dynamic", 31))),
                            DynamicTest.dynamicTest("inner two", () -> tracker().malloc(700, Stacks.at(TemplatesTestCase.class, "dynamic", 32))))));
        }
    }

    @TrackMemory
    @ParameterizedClass
    @ValueSource(ints = {1000, 2000})
    static class ParameterizedClassTestCase {
        @Parameter
        int bytes;

        @Test
        void plain() {
            tracker().malloc(bytes, Stacks.at(ParameterizedClassTestCase.class, "plain", 40));
        }

        @RepeatedTest(2)
        void repeated() {
            tracker().malloc(bytes + 1, Stacks.at(ParameterizedClassTestCase.class, "repeated", 50));
        }
    }

    @Test
    void parameterizedRepeatedAndDynamicInvocationsEachKeepTheirCapture(@TempDir Path reports) throws IOException {
        // every invocation's HTML report too (a passing test gets one only on request)
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null).configuration("memtrack.report.dir", reports.toString())
                .configuration(ConfigurationReader.REPORT_HTML, "always");

        assertAllPassed(run.execute(TemplatesTestCase.class));

        Path dir = reports.resolve(TemplatesTestCase.class.getName());
        assertThat(fileNames(dir, ".mtcap")).containsExactlyInAnyOrder(
                "parameterized[1].mtcap", "parameterized[2].mtcap", "parameterized[3].mtcap",
                "repeated[1].mtcap", "repeated[2].mtcap",
                "dynamic[1].mtcap", "dynamic[2][1].mtcap", "dynamic[2][2].mtcap");
        assertThat(fileNames(dir, ".html")).hasSize(8);
        assertThat(peakOf(dir, "parameterized[2]")).isEqualTo(200);
        assertThat(peakOf(dir, "dynamic[1]")).isEqualTo(500);
        assertThat(peakOf(dir, "dynamic[2][2]")).as("a dynamic test's own scope").isEqualTo(700);
        assertThat(CaptureReader.read(dir.resolve("dynamic[2][1].mtcap")).displayName()).isEqualTo("inner one");
    }

    @Test
    void parameterizedClassInvocationsEachKeepTheirCapture(@TempDir Path reports) throws IOException {
        EngineRun run = EngineRun.with(FakeNativeTracker.available(), null).configuration("memtrack.report.dir", reports.toString());

        assertAllPassed(run.execute(ParameterizedClassTestCase.class));

        Path dir = reports.resolve(ParameterizedClassTestCase.class.getName());
        assertThat(fileNames(dir, ".mtcap")).containsExactlyInAnyOrder(
                "plain[1].mtcap", "plain[2].mtcap",
                "repeated[1][1].mtcap", "repeated[1][2].mtcap", "repeated[2][1].mtcap", "repeated[2][2].mtcap");
        assertThat(peakOf(dir, "plain[1]")).isEqualTo(1000);
        assertThat(peakOf(dir, "plain[2]")).isEqualTo(2000);
        assertThat(peakOf(dir, "repeated[2][1]")).isEqualTo(2001);
    }

    private static long peakOf(Path dir, String method) throws IOException {
        TestCapture capture = CaptureReader.read(dir.resolve(method + ".mtcap"));
        assertThat(capture.testMethod()).isEqualTo(method);
        return capture.reports().get(0).figures().peakBytes();
    }

    private static List<String> fileNames(Path dir, String extension) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(extension)).forEach(names::add);
        }
        return names;
    }
}
