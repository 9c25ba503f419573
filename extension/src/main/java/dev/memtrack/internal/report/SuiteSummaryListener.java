package dev.memtrack.internal.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * At the end of a test plan, writes the suite summary ({@code index.html}, tests ranked by peak,
 * leaks and allocations) into every report directory this JVM wrote captures to, and prints its
 * console table. Registered through {@code META-INF/services}, so Surefire and IDE launchers pick
 * it up; test plans that tracked nothing print nothing. Never fails the run: problems are logged.
 *
 * <p>The summary keeps to this run's captures ({@link BuildRun}): the index covers every test
 * of the run so far — all JVMs (Surefire forks) that share the directory — and lists captures of
 * earlier runs apart. Each JVM prints only the tests it ran (in any of its test plans); when other JVMs of the run have
 * added tests, its table is headed as this JVM's part of the run, so a build with a JVM per test
 * class prints one short part per JVM and the last index written holds the whole run. JVMs
 * writing the index take turns under a lock file ({@value #LOCK_FILE}) in the directory, so the
 * last index written has seen every capture written before it.
 */
public final class SuiteSummaryListener implements TestExecutionListener {

    static final String LOCK_FILE = ".memtrack-summary.lock";

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    /** File locks are per process: threads of one JVM take turns here first. */
    private static final Object JVM_LOCK = new Object();

    private final JvmCaptures captures;
    private final Supplier<String> runId;
    private final Supplier<PrintStream> out;

    public SuiteSummaryListener() {
        this(JvmCaptures.THIS_JVM, BuildRun::current, () -> System.out);
    }

    /** For tests: one instance per simulated JVM, with its own captures and run id. */
    SuiteSummaryListener(JvmCaptures captures, Supplier<String> runId, Supplier<PrintStream> out) {
        this.captures = captures;
        this.runId = runId;
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        if (captures == JvmCaptures.THIS_JVM) {
            try {
                BuildRun.configure(testPlan.getConfigurationParameters().get(BuildRun.RUN_ID_KEY).orElse(null));
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "memtrack could not read " + BuildRun.RUN_ID_KEY + " from the launcher's configuration", e);
            }
        }
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        for (Path dir : captures.drainDirectories()) {
            if (!Files.isDirectory(dir)) {
                continue; // removed since (a temporary directory): nothing to summarise
            }
            try {
                String table = summarise(dir, runId.get(), captures.of(dir));
                PrintStream console = out.get();
                console.println();
                console.println("memtrack suite summary: " + dir.resolve(SuiteIndexPage.FILE_NAME));
                console.print(table);
                console.flush();
            } catch (IOException | RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "memtrack could not write the suite summary in " + dir, e);
            }
        }
    }

    /** Writes the run's index under the directory's lock; returns the console table of {@code thisJvm}'s tests. */
    static String summarise(Path dir, String runId, Set<Path> thisJvm) throws IOException {
        synchronized (JVM_LOCK) {
            // never through a link planted in its place: it would create or open a file elsewhere
            try (FileChannel channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
                 FileLock lock = channel.lock()) {
                SuiteSummary summary = SuiteSummary.scanRun(dir, runId);
                // at the end of every run: a passing test's report is rendered on request only (ReportCli)
                summary.writeIndex(false);
                return summary.consoleTable(thisJvm);
            }
        }
    }
}
