package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.apiguardian.api.API;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * At the end of a test run, prints what the run did with each baseline file
 * ({@link BaselineRunLog}): tests checked, grown, new to the baseline and gone from the run.
 * Registered through {@code META-INF/services} beside the suite summary's listener; runs that
 * used no baseline print nothing. Never fails the run.
 */
@API(status = INTERNAL, since = "0.1")
public final class BaselineSummaryListener implements TestExecutionListener {

    private static final Logger LOG = Logger.getLogger("dev.memtrack");

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        try {
            for (String block : BaselineRunLog.drain()) {
                System.out.println();
                System.out.println(block);
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.WARNING, "memtrack could not list the baseline's tests", e);
        }
    }
}
