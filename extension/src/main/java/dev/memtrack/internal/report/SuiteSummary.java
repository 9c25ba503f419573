package dev.memtrack.internal.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * The suite summary: the captures under a report directory (all forks and shards) — every one,
 * or one run's with the captures of earlier runs set apart — ranked by peak, leaks and
 * allocations, as {@code index.html} and as a console table (docs/reports.md).
 *
 * <p>Safe to run while tests still write captures (they appear atomically); forks of one run
 * serialise their summaries with a lock file ({@link SuiteSummaryListener}). For a complete index
 * of a sharded run, run {@code ReportCli summary} once all captures are in one directory.
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteSummary {

    private final Path reportDir;
    /** The run summarised; null when every capture is. */
    private final String runId;
    private final List<SuiteEntry> entries;
    private final List<SuiteEntry> earlierRuns;
    private final List<String> problems;

    private SuiteSummary(Path reportDir, String runId, List<SuiteEntry> entries, List<SuiteEntry> earlierRuns,
                         List<String> problems) {
        this.reportDir = reportDir;
        this.runId = runId;
        this.entries = List.copyOf(entries);
        this.earlierRuns = List.copyOf(earlierRuns);
        this.problems = List.copyOf(problems);
    }

    /**
     * Scans, writes {@code <reportDir>/index.html} and returns the console table.
     *
     * @throws UncheckedIOException when the directory cannot be scanned or the index written
     */
    public static String write(Path reportDir) {
        try {
            SuiteSummary summary = scan(reportDir);
            // at the end of every run: a passing test's report is rendered on request only (ReportCli)
            summary.writeIndex(false);
            return summary.consoleTable();
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    /** Reads every {@code *.mtcap} under {@code reportDir}; unreadable ones become {@link #problems()}. */
    public static SuiteSummary scan(Path reportDir) throws IOException {
        SuiteScanner.Result result = SuiteScanner.scan(reportDir);
        return new SuiteSummary(reportDir, null, result.entries(), List.of(), result.problems());
    }

    /**
     * Reads every {@code *.mtcap} under {@code reportDir} and keeps those of the run {@code runId}
     * ({@link dev.memtrack.internal.model.TestCapture#runId()}); the others, left by earlier runs
     * (or written by a memtrack that did not mark runs), become {@link #earlierRuns()}.
     */
    public static SuiteSummary scanRun(Path reportDir, String runId) throws IOException {
        SuiteScanner.Result result = SuiteScanner.scan(reportDir);
        Map<Boolean, List<SuiteEntry>> ofRun = result.entries().stream()
                .collect(Collectors.partitioningBy(e -> e.runId().equals(runId)));
        return new SuiteSummary(reportDir, runId, ofRun.get(true), ofRun.get(false), result.problems());
    }

    /** The tests summarised, in path order. */
    public List<SuiteEntry> entries() {
        return entries;
    }

    /** Captures of other runs than the one summarised, in path order: listed apart, never ranked. */
    public List<SuiteEntry> earlierRuns() {
        return earlierRuns;
    }

    /** One message per capture that could not be read, naming the file. */
    public List<String> problems() {
        return problems;
    }

    public Path indexFile() {
        return reportDir.resolve(SuiteIndexPage.FILE_NAME);
    }

    /**
     * Writes {@code index.html} atomically; first renders the report of any capture that has
     * none beside it (a CI job that kept only the captures, or passing tests under
     * {@code memtrack.report.html=failed}), so every link works.
     */
    public Path writeIndex() throws IOException {
        return writeIndex(true);
    }

    /** {@code summary.json}, beside the index (docs/reports.md). */
    public Path jsonFile() {
        return reportDir.resolve(ResultJson.SUMMARY_FILE);
    }

    /** The summary as JSON ({@code summary.json}, docs/reports.md). */
    public String json() {
        return ResultJson.summary(reportDir, runId, entries, earlierRuns, problems);
    }

    /**
     * Writes {@code index.html} and {@code summary.json} atomically, first rendering the missing
     * reports of failed tests, and of passing ones too when {@code renderPassing}; the index links
     * the reports that exist.
     */
    public Path writeIndex(boolean renderPassing) throws IOException {
        for (SuiteEntry entry : entries) {
            if ((renderPassing || entry.failed()) && !Files.exists(entry.html())) {
                HtmlReport.writeFile(CaptureReader.read(entry.capture()), entry.html());
            }
        }
        String html = SuiteIndexPage.render(reportDir, entries, earlierRuns, problems);
        Path index = indexFile();
        AtomicFileWriter.write(index, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(html);
            writer.flush();
        });
        ResultJson.write(jsonFile(), json());
        return index;
    }

    /** The rankings as fixed-width text, for the console or a build log. */
    public String consoleTable() {
        return SuiteConsoleTable.render(entries, entries, earlierRuns.size(), problems, indexFile().toString());
    }

    /**
     * The rankings of the tests whose captures are among {@code shown} (one JVM's part of the
     * run), headed as a partial summary when they are not all the tests summarised.
     */
    public String consoleTable(Set<Path> shown) {
        List<SuiteEntry> part = entries.stream()
                .filter(e -> shown.contains(JvmCaptures.normalize(e.capture())))
                .toList();
        return SuiteConsoleTable.render(part, entries, earlierRuns.size(), problems, indexFile().toString());
    }
}
