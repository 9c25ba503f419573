package dev.memtrack.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureFiles;
import dev.memtrack.internal.report.CaptureWriter;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.report.HtmlReport;
import dev.memtrack.internal.report.ResultJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCliTests {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void rendersACaptureBesideItByDefault() throws IOException {
        CaptureFiles files = CaptureWriter.write(capture(), dir);
        Files.delete(files.html());

        int status = run("render", files.capture().toString());

        assertThat(status).isZero();
        assertThat(out()).isEqualTo("Wrote " + files.html() + "\n");
        assertThat(Files.readString(files.html(), StandardCharsets.UTF_8)).isEqualTo(HtmlReport.render(capture()));
    }

    @Test
    void rendersToTheGivenFile() throws IOException {
        CaptureFiles files = CaptureWriter.write(capture(), dir);
        Path target = dir.resolve("elsewhere").resolve("report.html");

        assertThat(run("render", files.capture().toString(), target.toString())).isZero();
        assertThat(target).exists();
    }

    @Test
    void summarisesADirectory() {
        CaptureWriter.write(capture(), dir);

        assertThat(run("summary", dir.toString())).isZero();
        assertThat(out()).startsWith("memtrack: 1 tracked test, 0 failed a memory verdict. Index: " + dir.resolve("index.html"));
        assertThat(dir.resolve("index.html")).exists();
    }

    @Test
    void writesATestsJsonBesideItsCaptureToAFileOrToTheConsole() throws IOException {
        CaptureFiles files = CaptureWriter.write(capture(), dir);
        Path beside = files.capture().resolveSibling("renders.json");
        String expected = ResultJson.test(CaptureReader.read(files.capture()));

        assertThat(run("json", files.capture().toString())).isZero();
        assertThat(out()).isEqualTo("Wrote " + beside + "\n");
        assertThat(Files.readString(beside, StandardCharsets.UTF_8)).isEqualTo(expected);

        Path elsewhere = dir.resolve("out").resolve("x.json");
        assertThat(run("json", files.capture().toString(), elsewhere.toString())).isZero();
        assertThat(Files.readString(elsewhere, StandardCharsets.UTF_8)).isEqualTo(expected);

        out.reset();
        assertThat(run("json", files.capture().toString(), "-")).isZero();
        assertThat(out()).isEqualTo(expected);
    }

    @Test
    void jsonArgumentsAreChecked() {
        assertThat(run("json")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: json: missing the capture file (<capture.mtcap>)");
        err.reset();
        assertThat(run("json", dir.resolve("none.mtcap").toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: json: capture file '" + dir.resolve("none.mtcap") + "' does not exist");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("help")).isZero();
        assertThat(out()).isEqualTo(ReportCli.USAGE_TEXT);
    }

    @Test
    void noArgumentsIsAUsageError() {
        assertThat(run()).isEqualTo(ReportCli.USAGE);
        assertThat(err()).isEqualTo("memtrack: missing command; expected 'render', 'json', 'summary', 'diff', 'baseline' or 'help'\n" + ReportCli.USAGE_TEXT);
    }

    @Test
    void anUnknownCommandIsNamed() {
        assertThat(run("draw", "x")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: unknown command 'draw'; expected 'render', 'json', 'summary', 'diff', 'baseline' or 'help'");
    }

    @Test
    void renderArgumentsAreChecked() throws IOException {
        Path missing = dir.resolve("missing.mtcap");
        Path capture = CaptureWriter.write(capture(), dir).capture();

        assertThat(run("render")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: render: missing the capture file (<capture.mtcap>)");

        assertThat(run("render", missing.toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: render: capture file '" + missing + "' does not exist");

        assertThat(run("render", dir.toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: render: '" + dir
                + "' is a directory; expected a .mtcap capture file (use 'summary' for a report directory)");

        assertThat(run("render", capture.toString(), "a.html", "extra")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: render: unexpected argument 'extra'; expected <capture.mtcap> [out.html]");

        assertThat(run("render", capture.toString(), dir.toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: render: output '" + dir + "' is a directory; expected an .html file name");
    }

    @Test
    void summaryArgumentsAreChecked() throws IOException {
        Path missing = dir.resolve("nowhere");
        Path file = Files.writeString(dir.resolve("file.txt"), "x");

        assertThat(run("summary")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: summary: missing the report directory (<reportDir>)");

        assertThat(run("summary", missing.toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: summary: report directory '" + missing + "' does not exist");

        assertThat(run("summary", file.toString())).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: summary: report directory '" + file + "' is not a directory");

        assertThat(run("summary", dir.toString(), "more")).isEqualTo(ReportCli.USAGE);
        assertThat(firstErrorLine()).isEqualTo("memtrack: summary: unexpected argument 'more'; expected <reportDir>");
    }

    @Test
    void anUnreadableCaptureFailsWithTheReaderMessage() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.mtcap"), "not a capture");

        assertThat(run("render", bad.toString())).isEqualTo(ReportCli.FAILED);
        assertThat(err()).isEqualTo("memtrack: Cannot read memtrack capture " + bad
                + ": not a memtrack capture: expected the magic \"MTCAP\" at the start but found \"not a\"\n");
    }

    private static TestCapture capture() {
        return new TestCapture("id", "com.acme.CliTest", "renders", "renders()", 0, 1_000_000,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(4096, 1, 4096, 1, 0, 0, 4096), List.of())),
                List.of(), List.of());
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        return ReportCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String firstErrorLine() {
        return err().lines().findFirst().orElse("");
    }
}
