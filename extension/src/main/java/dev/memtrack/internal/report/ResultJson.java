package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Machine-readable results, read from captures only (so the listener, the extension and the
 * command line write the same bytes): a test's figures and top sites ({@code <testMethod>.json}
 * beside its capture) and the suite summary ({@code summary.json} beside {@code index.html}).
 * The schema is docs/reports.md; its {@code schema} field names it and its version, raised when
 * a field changes meaning or goes away (fields may be added within a version).
 */
@API(status = INTERNAL, since = "0.1")
public final class ResultJson {

    static final String TEST_SCHEMA = "memtrack-test/1";
    static final String SUMMARY_SCHEMA = "memtrack-summary/1";
    static final String SUMMARY_FILE = "summary.json";

    private ResultJson() {
    }

    /** A test's figures and top sites (those of the HTML report's table), as one JSON object. */
    public static String test(TestCapture capture) {
        JsonWriter json = new JsonWriter().beginObject().name("schema").value(TEST_SCHEMA);
        json.name("test");
        testIdentity(json, capture.testId(), capture.testClass(), capture.testMethod(), capture.displayName(),
                capture.runId(), capture.startEpochMillis());
        json.name("durationNanos").value(capture.durationNanos()).endObject();
        json.name("verdict").value(capture.failures().isEmpty() ? "passed" : "failed");
        json.name("failures").beginArray();
        capture.failures().forEach(json::value);
        json.endArray();
        json.name("peak").value(capture.peakBytes());
        json.name("peakExact").value(capture.combinedPeakBytes() >= 0 || capture.reports().size() <= 1);
        for (ScopeReport report : capture.reports()) {
            json.name(report.domain().label());
            figures(json, report.figures());
        }
        List<Site> all = new ArrayList<>();
        capture.reports().forEach(r -> all.addAll(r.sites()));
        List<Site> shown = SitesSection.select(all);
        StackTrimmer trimmer = DisplayStacks.trimmer(capture);
        // each distinct frame once; stacks are indices into it, as in the capture (100 sites of
        // 30 frames share most of them)
        Map<Frame, Integer> table = new LinkedHashMap<>();
        json.name("sites").beginArray();
        for (Site site : shown) {
            site(json, site, trimmer.trim(site.frames()), table);
        }
        json.endArray();
        json.name("sitesLeftOut").value(all.size() - shown.size());
        json.name("frames").beginArray();
        table.keySet().forEach(frame -> frame(json, frame));
        json.endArray();
        return json.endObject() + "\n";
    }

    /** Writes {@link #test} beside the capture file ({@code x.mtcap} → {@code x.json}), atomically. */
    public static Path writeTest(TestCapture capture, Path captureFile) throws IOException {
        Path file = ReportFileNames.jsonBeside(captureFile);
        write(file, test(capture));
        return file;
    }

    /** Writes {@link #test} to {@code file}, atomically, creating its directory. */
    public static Path writeTestTo(TestCapture capture, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        java.nio.file.Files.createDirectories(absolute.getParent());
        write(absolute, test(capture));
        return file;
    }

    /** The suite summary: the tests summarised, then those of earlier runs, with paths relative to the report directory. */
    static String summary(Path reportDir, String runId, List<SuiteEntry> entries, List<SuiteEntry> earlierRuns,
                          List<String> problems) {
        JsonWriter json = new JsonWriter().beginObject().name("schema").value(SUMMARY_SCHEMA);
        json.name("runId").valueOrNull(runId);
        json.name("tests").value(entries.size());
        json.name("failed").value(entries.stream().filter(SuiteEntry::failed).count());
        json.name("entries").beginArray();
        entries.forEach(e -> entry(json, reportDir, e));
        json.endArray();
        json.name("earlierRuns").beginArray();
        earlierRuns.forEach(e -> entry(json, reportDir, e));
        json.endArray();
        json.name("unreadable").beginArray();
        problems.forEach(json::value);
        json.endArray();
        return json.endObject() + "\n";
    }

    static void write(Path file, String text) throws IOException {
        AtomicFileWriter.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static void entry(JsonWriter json, Path reportDir, SuiteEntry e) {
        json.beginObject().name("test");
        testIdentity(json, e.testId(), e.testClass(), e.testMethod(), e.displayName(), e.runId(), e.startEpochMillis());
        json.endObject();
        json.name("verdict").value(e.failed() ? "failed" : "passed");
        json.name("peak").value(e.peakBytes());
        // false: a capture without the combined peak, where native peak + managed peak bounds it
        json.name("peakExact").value(!e.peakUpperBound());
        json.name("leaked").value(e.leakedBytes());
        json.name("allocated").value(e.allocatedBytes());
        json.name(Domain.NATIVE.label());
        figures(json, e.nativeFigures());
        json.name(Domain.MANAGED.label());
        figures(json, e.managedFigures());
        json.name("capture").value(SuiteIndexPage.relative(reportDir, e.capture()));
        json.name("report").valueOrNull(Files.isRegularFile(e.html()) ? SuiteIndexPage.relative(reportDir, e.html()) : null);
        Path results = ReportFileNames.jsonBeside(e.capture());
        json.name("results").valueOrNull(Files.isRegularFile(results) ? SuiteIndexPage.relative(reportDir, results) : null);
        json.endObject();
    }

    private static void testIdentity(JsonWriter json, String id, String testClass, String method, String displayName,
                                     String runId, long startEpochMillis) {
        json.beginObject().name("id").value(id).name("class").value(testClass).name("method").value(method)
                .name("displayName").value(displayName).name("runId").value(runId)
                .name("startEpochMillis").value(startEpochMillis);
    }

    /** The names of the report entries (docs/configuration.md); leaked is what was still live after the test and settling. */
    private static void figures(JsonWriter json, Figures f) {
        json.beginObject()
                .name("peak").value(f.peakBytes())
                .name("leaked").value(f.liveBytes())
                .name("leakedAllocations").value(f.liveCount())
                .name("allocated").value(f.allocatedBytes())
                .name("allocations").value(f.allocatedCount())
                .name("freed").value(f.freedBytes())
                .name("frees").value(f.freedCount())
                .endObject();
    }

    private static void site(JsonWriter json, Site site, List<Frame> stack, Map<Frame, Integer> table) {
        json.beginObject().name("domain").value(site.domain().label()).name("origin").value(site.origin().code())
                .name("allocated").value(site.allocatedBytes()).name("allocations").value(site.allocatedCount())
                .name("peak").value(site.peakBytes()).name("peakAllocations").value(site.peakCount())
                .name("leaked").value(site.liveBytes()).name("leakedAllocations").value(site.liveCount());
        json.name("firstUserFrame");
        frameOrNull(json, FrameText.firstUserFrame(site));
        json.name("firstNativeFrame");
        frameOrNull(json, FrameText.firstNative(site));
        json.name("retainedBy").beginArray();
        site.retainedBy().forEach(json::value);
        json.endArray();
        json.name("ownedBy").valueOrNull(site.ownedBy().isEmpty() ? null : site.ownedBy());
        json.name("stack").beginArray();
        stack.forEach(frame -> json.value(table.computeIfAbsent(frame, f -> table.size())));
        json.endArray().endObject();
    }

    private static void frameOrNull(JsonWriter json, Optional<Frame> frame) {
        if (frame.isPresent()) {
            frame(json, frame.get());
        } else {
            json.nullValue();
        }
    }

    /** Kind, symbol, library, file, line (0 unknown, -2 a Java native method); empty strings left out. */
    private static void frame(JsonWriter json, Frame frame) {
        json.beginObject().name("kind").value(switch (frame.kind()) {
            case ALLOCATOR -> "allocator";
            case NATIVE -> "native";
            case JAVA -> "java";
        }).name("symbol").value(frame.symbol());
        if (!frame.library().isEmpty()) {
            json.name("library").value(frame.library());
        }
        if (!frame.file().isEmpty()) {
            json.name("file").value(frame.file());
        }
        if (frame.line() != 0) {
            json.name("line").value(frame.line());
        }
        json.endObject();
    }
}
