import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.CaptureReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every capture (.mtcap) under the given directories and fails when a site's stack holds a
 * frame of memtrack's own code: a Java frame of dev.memtrack outside the fixtures, samples and
 * benchmarks, or a native frame of libmemtrack (issue 8: "a scan of every report of the fixture
 * suite finds no frame of memtrack's own code"). The HTML reports, timelines and flame graphs are
 * drawn from the captures' sites. Run by .ci/run after the suite:
 * {@code java -cp extension/target/memtrack-junit-<version>.jar scripts/ScanOwnFrames.java <dir>...}
 *
 * <p>Exit status: 0 no such frame, 1 frames found or no capture to scan, 2 wrong usage.
 */
public final class ScanOwnFrames {

    private static final List<String> USERS = List.of("dev.memtrack.fixtures.", "dev.memtrack.samples.",
            "dev.memtrack.benchmarks.", "dev.memtrack.consumer.");

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: ScanOwnFrames <report directory>...");
            System.exit(2);
        }
        int captures = 0;
        List<String> found = new ArrayList<>();
        for (String dir : args) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                files = walk.filter(p -> p.toString().endsWith(".mtcap")).sorted().toList();
            }
            for (Path file : files) {
                TestCapture capture = CaptureReader.read(file);
                captures++;
                for (ScopeReport report : capture.reports()) {
                    for (Site site : report.sites()) {
                        for (Frame frame : site.frames()) {
                            if (isOwn(frame)) {
                                found.add(file + ": " + frame.symbol() + " [" + frame.library() + "]");
                            }
                        }
                    }
                }
            }
        }
        found.stream().distinct().forEach(System.out::println);
        System.out.printf("%d captures scanned, %d frames of memtrack's own code%n", captures, found.size());
        if (captures == 0 || !found.isEmpty()) {
            System.exit(1);
        }
    }

    private static boolean isOwn(Frame frame) {
        if (frame.isJava()) {
            String symbol = frame.symbol();
            return symbol.startsWith("dev.memtrack.") && USERS.stream().noneMatch(symbol::startsWith);
        }
        return frame.library().contains("libmemtrack");
    }
}
