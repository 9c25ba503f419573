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
import org.apiguardian.api.API;

/**
 * The suite summary: every capture under a report directory (all forks and shards), ranked by
 * peak, leaks and allocations, as {@code index.html} and as a console table.
 *
 * <p>Safe to run while tests still write captures (they appear atomically), and by several
 * forks at once (the last index written wins); for a complete index of a sharded run, run
 * {@code ReportCli summary} once all captures are in one directory.
 */
@API(status = INTERNAL, since = "0.1")
public final class SuiteSummary {

    private final Path reportDir;
    private final List<SuiteEntry> entries;
    private final List<String> problems;

    private SuiteSummary(Path reportDir, List<SuiteEntry> entries, List<String> problems) {
        this.reportDir = reportDir;
        this.entries = List.copyOf(entries);
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
        return new SuiteSummary(reportDir, result.entries(), result.problems());
    }

    /** The tests found, in path order. */
    public List<SuiteEntry> entries() {
        return entries;
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

    /**
     * Writes {@code index.html} atomically, first rendering the missing reports of failed tests,
     * and of passing ones too when {@code renderPassing}; the index links the reports that exist.
     */
    public Path writeIndex(boolean renderPassing) throws IOException {
        for (SuiteEntry entry : entries) {
            if ((renderPassing || entry.failed()) && !Files.exists(entry.html())) {
                HtmlReport.writeFile(CaptureReader.read(entry.capture()), entry.html());
            }
        }
        String html = SuiteIndexPage.render(reportDir, entries, problems);
        Path index = indexFile();
        AtomicFileWriter.write(index, out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write(html);
            writer.flush();
        });
        return index;
    }

    /** The rankings as fixed-width text, for the console or a build log. */
    public String consoleTable() {
        return SuiteConsoleTable.render(entries, problems, indexFile().toString());
    }
}
