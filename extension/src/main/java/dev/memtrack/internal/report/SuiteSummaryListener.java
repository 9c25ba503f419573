package dev.memtrack.internal.report;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * At the end of a test run, writes the suite summary ({@code index.html}, tests ranked by peak,
 * leaks and allocations) into every report directory this JVM wrote captures to, and prints its
 * console table. Registered through {@code META-INF/services}, so Surefire and IDE launchers pick
 * it up; runs that tracked nothing print nothing. The summary reads every capture in the
 * directory, so Surefire forks and CI shards that share it are merged (the last writer of
 * {@code index.html} has seen them all). Never fails the run: problems are logged.
 */
public final class SuiteSummaryListener implements TestExecutionListener {

    private static final Logger LOG = Logger.getLogger("dev.memtrack");
    private static final Set<Path> REPORT_DIRS = ConcurrentHashMap.newKeySet();

    static void reportDirUsed(Path reportDir) {
        REPORT_DIRS.add(reportDir.toAbsolutePath().normalize());
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        for (Path dir : REPORT_DIRS) {
            if (!java.nio.file.Files.isDirectory(dir)) {
                continue; // removed since (a temporary directory): nothing to summarise
            }
            try {
                String table = SuiteSummary.write(dir);
                System.out.println();
                System.out.println("memtrack suite summary: " + dir.resolve("index.html"));
                System.out.println(table);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "memtrack could not write the suite summary in " + dir, e);
            }
        }
        REPORT_DIRS.clear();
    }
}
