package dev.memtrack.internal.report;

import java.nio.file.Path;

/**
 * A stand-in for one Surefire fork, started as a real JVM by {@link SuiteSummaryForkTests}:
 * writes the named fixture captures into the report directory as the extension would, then ends
 * its test plan as the service-loaded listener does.
 * Arguments: the report directory, then test methods of {@code com.acme.Fork}.
 */
final class ForkSimulationMain {

    private ForkSimulationMain() {
    }

    public static void main(String[] args) {
        Path reportDir = Path.of(args[0]);
        for (int i = 1; i < args.length; i++) {
            CaptureWriter.write(CaptureFixtures.test("com.acme.Fork", args[i], 1024L * i, 0, 2048L * i), reportDir, false);
        }
        new SuiteSummaryListener().testPlanExecutionFinished(null);
    }
}
