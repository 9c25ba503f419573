package dev.memtrack.internal.junit;

import static dev.memtrack.internal.junit.EngineRun.onlyFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.memtrack.TrackMemory;
import dev.memtrack.internal.report.CaptureWriter;
import dev.memtrack.internal.tracking.FakeNativeTracker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A report written for a failing fixture test, opened in headless Chromium: the flame graphs are
 * drawn by the inlined d3-flame-graph, search highlights the frames it names, the inverted view
 * puts the outermost frame at the top, the JNI boundary keeps its colour, and no script fails.
 * A small script appended to a copy of the report drives the page and writes what it saw into
 * the DOM, which {@code --dump-dom} prints. Skipped where no Chromium is installed, except in CI
 * ({@code CI=true}), which installs it (.ci/run) and must run this test.
 */
class ReportInBrowserTests {

    private static FakeNativeTracker tracker() {
        return FakeNativeTracker.installed();
    }

    static class TwoLeaksTestCase {
        @Test
        @TrackMemory(nativeLeakLimit = "0")
        void leaks() {
            tracker().malloc(1_048_583, Stacks.at(TwoLeaksTestCase.class, "leaks", 38));
            tracker().malloc(524_309, Stacks.at(TwoLeaksTestCase.class, "leaks", 39));
        }
    }

    @TempDir
    Path dir;

    @Test
    void theFlameGraphsRenderSearchAndInvertWithoutScriptErrors() throws Exception {
        String chromium = chromium();
        Path reports = dir.resolve("reports");
        onlyFailure(EngineRun.with(FakeNativeTracker.available(), null)
                .configuration(ConfigurationReader.REPORT_DIR, reports.toString())
                .execute(TwoLeaksTestCase.class));
        Path capture = CaptureWriter.files(reports.toAbsolutePath().normalize(), TwoLeaksTestCase.class.getName(), "leaks").capture();
        String report = Files.readString(capture.resolveSibling("leaks.html"), StandardCharsets.UTF_8);

        Path page = dir.resolve("checked.html");
        Files.writeString(page, report.replace("</body>", "<script>\n" + selfCheckScript() + "</script>\n</body>"),
                StandardCharsets.UTF_8);
        Map<String, String> seen = selfCheck(run(chromium, page));

        assertThat(seen.get("scriptErrors")).as("script errors on the page").isEmpty();
        assertThat(seen.get("probeShown")).as("the page's error hook, shown an error").isEqualTo("Script error in this report: probe (selfcheck:1) ");
        assertThat(seen.get("selfcheckError")).as("the self-check script").isNull();
        assertThat(List.of(seen.get("names").split("\\|"))).as("frames drawn in the leaks graph").containsExactlyInAnyOrder(
                // below the test method nothing: the report leaves JUnit's frames out; two lines, two frames
                "all: 1.5 MiB", "ReportInBrowserTests$TwoLeaksTestCase.leaks", "ReportInBrowserTests$TwoLeaksTestCase.leaks",
                "Library.open", "Library.open",
                "fixture_alloc", "fixture_alloc", "malloc", "malloc");
        assertThat(seen.get("rects")).isEqualTo("9");
        assertThat(seen.get("rootBelowTop")).as("flame view: outermost frame at the bottom").isEqualTo("true");
        assertThat(seen.get("matches")).isEqualTo("2");
        assertThat(seen.get("highlighted")).isEqualTo("fixture_alloc|fixture_alloc");
        assertThat(seen.get("status")).isEqualTo("2 frames match: 1.5 MiB of 1.5 MiB (100.0 %)");
        assertThat(seen.get("invertedRootAtTop")).as("icicle view: outermost frame at the top").isEqualTo("true");
        assertThat(seen.get("invertedMatches")).as("the search kept across the toggle").isEqualTo("2");
        assertThat(seen.get("boundaryFill")).as("a matched frame is highlighted").isEqualTo("#e600e6");
        assertThat(seen.get("boundaryFillUnmatched")).as("the JNI boundary colour").isEqualTo("#8e63c9");
        assertThat(seen.get("peakDotOnLine")).as("the timeline's dot at the stated peak").isEqualTo("true");
    }

    private static String selfCheckScript() throws IOException {
        try (InputStream in = ReportInBrowserTests.class.getResourceAsStream("report-selfcheck.js")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String run(String chromium, Path page) throws IOException, InterruptedException {
        Path out = dir.resolve("dom.html");
        Path err = dir.resolve("chromium.log");
        Process process = new ProcessBuilder(chromium, "--headless", "--disable-gpu", "--no-sandbox",
                "--no-first-run", "--disable-extensions", "--user-data-dir=" + dir.resolve("profile"),
                "--window-size=1200,900", "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("Chromium did not finish within 90 s; its log:%n%s", Files.readString(err));
        }
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        if (process.exitValue() != 0 || !dom.contains("id=\"selfcheck\"")) {
            fail("Chromium exited with %d without the self-check's results; its log:%n%s", process.exitValue(), Files.readString(err));
        }
        return dom;
    }

    private static Map<String, String> selfCheck(String dom) {
        Matcher pre = Pattern.compile("<pre id=\"selfcheck\">(.*?)</pre>", Pattern.DOTALL).matcher(dom);
        assertThat(pre.find()).as("the self-check's results in the DOM").isTrue();
        Map<String, String> seen = new LinkedHashMap<>();
        String last = null;
        for (String line : pre.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0 && last != null) {
                seen.put(last, seen.get(last) + "\n" + line);  // a value of several lines
            } else {
                last = line.substring(0, Math.max(eq, 0));
                seen.put(last, line.substring(eq + 1));
            }
        }
        return seen;
    }

    /** The Chromium to run: {@code memtrack.test.chromium}, else the first of the usual names on the PATH. */
    private static String chromium() {
        String given = System.getProperty("memtrack.test.chromium");
        if (given != null && !given.isBlank()) {
            return given;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(entry.isEmpty() ? "." : entry, name);
                if (Files.isExecutable(candidate)) {
                    return candidate.toString();
                }
            }
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("CI must run the report's browser test, but no chromium is on the PATH (.ci/run installs the Debian package)");
        }
        Assumptions.abort("No chromium on the PATH (nor -Dmemtrack.test.chromium): the report's browser test is skipped;"
                + " CI installs it (apt-get install chromium)");
        return null;
    }

}
