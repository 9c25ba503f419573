package dev.memtrack.internal.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds and reads every capture under a report directory, at any depth, so captures written by
 * several Surefire forks or copied together from CI shards are summarised as one suite. A file
 * that cannot be read is reported, not fatal: one bad capture must not hide all the others.
 */
final class SuiteScanner {

    record Result(List<SuiteEntry> entries, List<String> problems) {
    }

    private SuiteScanner() {
    }

    static Result scan(Path reportDir) throws IOException {
        if (!Files.isDirectory(reportDir)) {
            throw new IOException("memtrack report directory " + reportDir + " does not exist or is not a directory");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(reportDir)) {
            files = walk.filter(p -> p.getFileName().toString().endsWith(CaptureFormat.FILE_EXTENSION))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (UncheckedIOException e) {
            // Files.walk reports trouble inside the tree (a directory removed while walking) this way.
            throw e.getCause();
        }
        List<SuiteEntry> entries = new ArrayList<>(files.size());
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            try {
                entries.add(SuiteEntry.of(file, CaptureReader.read(file)));
            } catch (IOException e) {
                problems.add(e instanceof CaptureFormatException ? e.getMessage() : "Cannot read " + file + ": " + e);
            }
        }
        return new Result(entries, problems);
    }
}
