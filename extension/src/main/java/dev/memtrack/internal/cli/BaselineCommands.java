package dev.memtrack.internal.cli;

import dev.memtrack.internal.baseline.BaselineEntry;
import dev.memtrack.internal.baseline.BaselineFile;
import dev.memtrack.internal.baseline.BaselineSettings;
import dev.memtrack.internal.baseline.BaselineUpdate;
import dev.memtrack.internal.baseline.DiffFlameGraph;
import dev.memtrack.internal.baseline.Figure;
import dev.memtrack.internal.baseline.FigureSet;
import dev.memtrack.internal.baseline.SiteDiff;
import dev.memtrack.internal.baseline.Tolerance;
import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureReader;
import dev.memtrack.internal.report.HtmlReport;
import dev.memtrack.internal.size.SizeFormatter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The baseline's commands of {@link ReportCli}: {@code diff} and {@code baseline update} (issue 14). */
final class BaselineCommands {

    private BaselineCommands() {
    }

    /** {@code diff <old.mtcap> <new.mtcap> [out.html]}. */
    static void diff(List<String> args, PrintStream out) throws IOException {
        if (args.size() < 2) {
            throw new ReportCli.UsageException("diff: missing " + (args.isEmpty() ? "the old and the new capture" : "the new capture")
                    + "; expected <old.mtcap> <new.mtcap> [out.html]");
        }
        if (args.size() > 3) {
            throw new ReportCli.UsageException("diff: unexpected argument '" + args.get(3) + "'; expected <old.mtcap> <new.mtcap> [out.html]");
        }
        Path before = captureFile(args.get(0), "old");
        Path after = captureFile(args.get(1), "new");
        Path html = args.size() == 3 ? ReportCli.path(args.get(2), "diff", "output") : diffBeside(after);
        if (Files.isDirectory(html)) {
            throw new ReportCli.UsageException("diff: output '" + html + "' is a directory; expected an .html file name");
        }
        TestCapture old = CaptureReader.read(before);
        TestCapture now = CaptureReader.read(after);
        List<SiteDiff> diffs = SiteDiff.allGrown(old, now);
        String note = diffs.isEmpty() ? "No site grew between the two captures." : "";
        HtmlReport.write(now, html, List.of(new DiffFlameGraph(before.toString(), diffs, note)));
        printFigures(old, now, out);
        out.println("Wrote " + html);
    }

    private static void printFigures(TestCapture old, TestCapture now, PrintStream out) {
        BaselineEntry before = BaselineEntry.of(old, "", 0);
        BaselineEntry after = BaselineEntry.of(now, "", 0);
        for (Domain domain : Domain.values()) {
            Optional<FigureSet> b = before.figures(domain);
            Optional<FigureSet> a = after.figures(domain);
            if (b.isEmpty() || a.isEmpty()) {
                continue;
            }
            for (Figure figure : Figure.values()) {
                long x = b.get().of(figure);
                long y = a.get().of(figure);
                String change = x == y ? "unchanged" : x == 0 ? "new"
                        : (y > x ? "+" : "-") + Tolerance.percentText((double) Math.abs(y - x) / x) + " %";
                out.println(domain.label() + " " + figure.label() + " " + SizeFormatter.format(x) + " -> " + SizeFormatter.format(y)
                        + " (" + change + ")");
            }
        }
    }

    /** {@code x.mtcap} → {@code x.diff.html} beside it. */
    private static Path diffBeside(Path capture) {
        String name = capture.getFileName().toString();
        String base = name.endsWith(".mtcap") ? name.substring(0, name.length() - ".mtcap".length()) : name;
        return capture.resolveSibling(base + ".diff.html");
    }

    private static Path captureFile(String argument, String which) {
        Path capture = ReportCli.path(argument, "diff", which + " capture");
        if (!Files.exists(capture)) {
            throw new ReportCli.UsageException("diff: " + which + " capture '" + capture + "' does not exist");
        }
        if (Files.isDirectory(capture)) {
            throw new ReportCli.UsageException("diff: " + which + " capture '" + capture + "' is a directory; expected a .mtcap file");
        }
        return capture;
    }

    /** {@code baseline update <capturesDir> [baseline.json]}. */
    static void baseline(List<String> args, PrintStream out) throws IOException {
        if (args.isEmpty() || !args.get(0).equals("update")) {
            throw new ReportCli.UsageException("baseline: " + (args.isEmpty() ? "missing the subcommand" : "unknown subcommand '"
                    + args.get(0) + "'") + "; expected 'baseline update <capturesDir> [baseline.json]'");
        }
        if (args.size() < 2) {
            throw new ReportCli.UsageException("baseline update: missing the captures directory (<capturesDir>)");
        }
        if (args.size() > 3) {
            throw new ReportCli.UsageException("baseline update: unexpected argument '" + args.get(3)
                    + "'; expected <capturesDir> [baseline.json]");
        }
        Path dir = ReportCli.path(args.get(1), "baseline update", "captures directory");
        if (!Files.isDirectory(dir)) {
            throw new ReportCli.UsageException("baseline update: captures directory '" + dir + "' "
                    + (Files.exists(dir) ? "is not a directory" : "does not exist"));
        }
        Path json = args.size() == 3 ? ReportCli.path(args.get(2), "baseline update", "baseline file")
                : Path.of(BaselineSettings.DEFAULT_FILE_NAME);
        if (Files.isDirectory(json)) {
            throw new ReportCli.UsageException("baseline update: baseline file '" + json + "' is a directory; expected a .json file name");
        }
        BaselineFile file = new BaselineFile(json);
        BaselineUpdate.Result result = BaselineUpdate.update(dir, file);
        out.println("Wrote " + file.path() + ": " + result.recorded() + (result.recorded() == 1 ? " test" : " tests")
                + ", captures in " + file.captureDirectory()
                + (result.removedCaptures() > 0 ? " (" + result.removedCaptures() + " no longer used, deleted)" : ""));
        result.skipped().forEach(s -> out.println("  left out: " + s));
    }
}
