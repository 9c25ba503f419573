package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import org.apiguardian.api.API;

/**
 * What this JVM's tests did with each baseline file, for the listing at the end of the run
 * ({@link BaselineSummaryListener}): tests checked, tests that grew, tests new to the baseline,
 * tests recorded or not recorded, and — read from the file at the end — tests in the baseline that
 * did not run although their class did (renamed or deleted tests). Only classes that ran in this
 * JVM are considered for the latter, so a Surefire fork or a run of one class does not list every
 * other class's tests as gone.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineRunLog {

    private static final Map<Path, FileLog> LOGS = new ConcurrentHashMap<>();

    private BaselineRunLog() {
    }

    private static final class FileLog {
        final BaselineMode mode;
        final SortedSet<String> ran = new ConcurrentSkipListSet<>();
        final SortedSet<String> classes = new ConcurrentSkipListSet<>();
        final SortedSet<String> grew = new ConcurrentSkipListSet<>();
        final SortedSet<String> added = new ConcurrentSkipListSet<>();
        /** Tests whose memory could not be measured (no agent on this platform...), with why. */
        final SortedSet<String> notMeasured = new ConcurrentSkipListSet<>();
        /** Tests that failed on their own: neither recorded nor checked. */
        final SortedSet<String> failed = new ConcurrentSkipListSet<>();

        FileLog(BaselineMode mode) {
            this.mode = mode;
        }
    }

    static void ran(BaselineSettings settings, String testClass, String test) {
        FileLog log = log(settings);
        log.classes.add(testClass);
        log.ran.add(test);
    }

    static void grew(BaselineSettings settings, String test) {
        log(settings).grew.add(test);
    }

    static void added(BaselineSettings settings, String test) {
        log(settings).added.add(test);
    }

    /** A tracked test whose memory was not measured, so it could be neither recorded nor checked. */
    public static void notMeasured(BaselineSettings settings, String testClass, String testMethod, String reason) {
        String test = BaselineEntry.key(testClass, testMethod);
        ran(settings, testClass, test);
        log(settings).notMeasured.add(test + " (" + reason + ")");
    }

    static void failed(BaselineSettings settings, String test) {
        log(settings).failed.add(test);
    }

    private static FileLog log(BaselineSettings settings) {
        return LOGS.computeIfAbsent(settings.file(), f -> new FileLog(settings.mode()));
    }

    /** The listing of every baseline file used since the last call, one block per file; clears the log. */
    public static List<String> drain() {
        List<String> blocks = new ArrayList<>();
        for (Path file : List.copyOf(LOGS.keySet())) {
            FileLog log = LOGS.remove(file);
            if (log != null) {
                blocks.add(render(file, log));
            }
        }
        return blocks;
    }

    private static String render(Path file, FileLog log) {
        StringBuilder text = new StringBuilder();
        int ran = log.ran.size();
        if (log.mode == BaselineMode.RECORD) {
            int recorded = ran - log.failed.size() - log.notMeasured.size();
            text.append("memtrack baseline: recorded ").append(tests(recorded)).append(" into ").append(file);
            list(text, "not recorded (they failed; their previous entries are kept)", log.failed);
        } else {
            int checked = ran - log.added.size() - log.failed.size() - log.notMeasured.size();
            text.append("memtrack baseline: checked ").append(tests(checked)).append(" against ").append(file)
                    .append(", ").append(log.grew.size()).append(" grew beyond tolerance");
            list(text, "grew", log.grew);
            list(text, "new, not in the baseline (passed; record to add them)", log.added);
            list(text, "not checked (they failed on their own)", log.failed);
            if (!Files.exists(file)) {
                text.append("\n  the baseline file does not exist: record it with memtrack.baseline.mode=record");
            }
        }
        list(text, "memory not measured, so " + (log.mode == BaselineMode.RECORD ? "not recorded" : "not checked"), log.notMeasured);
        list(text, "in the baseline but not run (their class ran)", gone(file, log));
        return text.toString();
    }

    private static SortedSet<String> gone(Path file, FileLog log) {
        SortedSet<String> gone = new ConcurrentSkipListSet<>();
        SortedMap<String, BaselineEntry> entries;
        try {
            entries = new BaselineFile(file).read();
        } catch (IOException e) {
            return gone; // the damaged file has already failed the tests that read it
        }
        for (String test : entries.keySet()) {
            if (!log.ran.contains(test) && ranClassOf(test, log.classes)) {
                gone.add(test);
            }
        }
        return gone;
    }

    /** {@code a.B.m} and {@code a.B.m[2]} belong to class {@code a.B}. */
    private static boolean ranClassOf(String test, Set<String> classes) {
        String name = test.contains("[") ? test.substring(0, test.indexOf('[')) : test;
        int dot = name.lastIndexOf('.');
        return dot > 0 && classes.contains(name.substring(0, dot));
    }

    private static void list(StringBuilder text, String heading, Set<String> tests) {
        if (tests.isEmpty()) {
            return;
        }
        text.append("\n  ").append(heading).append(':');
        tests.forEach(t -> text.append("\n    ").append(t));
    }

    private static String tests(int n) {
        return n + (n == 1 ? " test" : " tests");
    }
}
