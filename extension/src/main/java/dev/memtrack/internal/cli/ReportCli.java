package dev.memtrack.internal.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.report.HtmlReport;
import dev.memtrack.internal.report.ResultJson;
import dev.memtrack.internal.report.SuiteSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Renders reports from capture files after the fact, with nothing but the memtrack-junit jar
 * on the class path (the report code needs no JUnit):
 * {@code java -cp memtrack-junit.jar dev.memtrack.internal.cli.ReportCli render x.mtcap}.
 *
 * <p>Exit status: 0 done, 1 a file could not be read or written, 2 wrong usage.
 */
@API(status = INTERNAL, since = "0.1")
public final class ReportCli {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            Usage: java -cp memtrack-junit.jar dev.memtrack.internal.cli.ReportCli <command> <arguments>
            Commands:
              render <capture.mtcap> [out.html]  render a test's HTML report from its capture file
                                                 (default: beside the capture, with .html instead of .mtcap)
              json <capture.mtcap> [out.json|-]  write a test's figures and top sites as JSON (default: beside
                                                 the capture, with .json instead of .mtcap; - prints them)
              summary <reportDir>                rank the tests of every capture under reportDir, write
                                                 reportDir/index.html and summary.json (rendering every
                                                 missing report) and print the rankings
              diff <old.mtcap> <new.mtcap> [out.html]
                                                 the new capture's report with a diff flame graph of what
                                                 grew since the old one (default: beside the new capture,
                                                 with .diff.html instead of .mtcap)
              baseline update <capturesDir> [baseline.json]
                                                 rebuild the baseline file (default: memtrack-baseline.json
                                                 here) from every capture of a passing test under capturesDir
              help                               print this text
            """;

    private ReportCli() {
    }

    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != OK) {
            System.exit(status);
        }
    }

    /** Runs a command; returns the exit status instead of exiting, so tests can call it. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            List<String> arguments = Arrays.asList(args);
            if (arguments.isEmpty()) {
                throw new UsageException("missing command; expected 'render', 'json', 'summary', 'diff', 'baseline' or 'help'");
            }
            String command = arguments.get(0);
            List<String> rest = arguments.subList(1, arguments.size());
            switch (command) {
                case "render" -> render(rest, out);
                case "json" -> json(rest, out);
                case "summary" -> summary(rest, out);
                case "diff" -> BaselineCommands.diff(rest, out);
                case "baseline" -> BaselineCommands.baseline(rest, out);
                case "help", "-h", "--help" -> out.print(USAGE_TEXT);
                default -> throw new UsageException("unknown command '" + command
                        + "'; expected 'render', 'json', 'summary', 'diff', 'baseline' or 'help'");
            }
            return OK;
        } catch (UsageException e) {
            err.println("memtrack: " + e.getMessage());
            err.print(USAGE_TEXT);
            return USAGE;
        } catch (IOException e) {
            err.println("memtrack: " + e.getMessage());
            return FAILED;
        } catch (UncheckedIOException e) {
            err.println("memtrack: " + e.getCause().getMessage());
            return FAILED;
        }
    }

    private static void render(List<String> args, PrintStream out) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("render: missing the capture file (<capture.mtcap>)");
        }
        if (args.size() > 2) {
            throw new UsageException("render: unexpected argument '" + args.get(2) + "'; expected <capture.mtcap> [out.html]");
        }
        Path capture = path(args.get(0), "render", "capture file");
        if (!Files.exists(capture)) {
            throw new UsageException("render: capture file '" + capture + "' does not exist");
        }
        if (Files.isDirectory(capture)) {
            throw new UsageException("render: '" + capture + "' is a directory; expected a .mtcap capture file"
                    + " (use 'summary' for a report directory)");
        }
        Path html = args.size() == 2 ? path(args.get(1), "render", "output") : HtmlReport.fileBeside(capture);
        if (Files.isDirectory(html)) {
            throw new UsageException("render: output '" + html + "' is a directory; expected an .html file name");
        }
        TestCapture test = CaptureReader.read(capture);
        HtmlReport.write(test, html);
        out.println("Wrote " + html);
    }

    private static void json(List<String> args, PrintStream out) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("json: missing the capture file (<capture.mtcap>)");
        }
        if (args.size() > 2) {
            throw new UsageException("json: unexpected argument '" + args.get(2) + "'; expected <capture.mtcap> [out.json|-]");
        }
        Path capture = path(args.get(0), "json", "capture file");
        if (!Files.isRegularFile(capture)) {
            throw new UsageException("json: capture file '" + capture + "' "
                    + (Files.isDirectory(capture) ? "is a directory; expected a .mtcap capture file (use 'summary' for a"
                    + " report directory: it writes summary.json)" : "does not exist"));
        }
        TestCapture test = CaptureReader.read(capture);
        if (args.size() == 2 && args.get(1).equals("-")) {
            out.print(ResultJson.test(test));
            return;
        }
        Path target = args.size() == 2 ? path(args.get(1), "json", "output") : null;
        if (target != null && Files.isDirectory(target)) {
            throw new UsageException("json: output '" + target + "' is a directory; expected a .json file name");
        }
        Path written = target == null ? ResultJson.writeTest(test, capture) : ResultJson.writeTestTo(test, target);
        out.println("Wrote " + written);
    }

    private static void summary(List<String> args, PrintStream out) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("summary: missing the report directory (<reportDir>)");
        }
        if (args.size() > 1) {
            throw new UsageException("summary: unexpected argument '" + args.get(1) + "'; expected <reportDir>");
        }
        Path dir = path(args.get(0), "summary", "report directory");
        if (!Files.isDirectory(dir)) {
            throw new UsageException("summary: report directory '" + dir + "' "
                    + (Files.exists(dir) ? "is not a directory" : "does not exist"));
        }
        SuiteSummary summary = SuiteSummary.scan(dir);
        summary.writeIndex();
        out.print(summary.consoleTable());
    }

    static Path path(String argument, String command, String what) {
        try {
            return Path.of(argument);
        } catch (InvalidPathException e) {
            throw new UsageException(command + ": " + what + " '" + argument + "' is not a valid path (" + e.getReason() + ")");
        }
    }

    /** A command line that cannot be run as given; the message names the bad argument. */
    static final class UsageException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
