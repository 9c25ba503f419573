package dev.memtrack.samples;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs the sample test classes through the JUnit Platform, as an IDE or Surefire would, and
 * prints what memtrack says about each test. Some samples are meant to fail — they contain real
 * leaks — so the runner checks each outcome against the expected one and exits non-zero only
 * when memtrack got one wrong. The samples that pass are also checked against the committed
 * baseline {@code samples/memtrack-baseline.json}: one that grew beyond it fails, unexpectedly.
 */
public final class RunSamples {

    /** method name -> true when the sample is expected to fail. */
    private static final Map<String, Boolean> EXPECTED_FAILURE = new LinkedHashMap<>();

    static {
        EXPECTED_FAILURE.put("leaksContextsItNeverCloses", true);
        EXPECTED_FAILURE.put("closesItsContexts", false);
        EXPECTED_FAILURE.put("registryKeepsDeflatersAlive", true);
        EXPECTED_FAILURE.put("endedDeflatersStayWithinBudget", false);
        EXPECTED_FAILURE.put("batchesStayUnderTheirPeakBudget", true);
        EXPECTED_FAILURE.put("droppedBufferIsNotALeak", false);
    }

    private RunSamples() {
    }

    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(ZstdCompressorTest.class), selectClass(DeflaterPoolTest.class),
                        selectClass(DirectBufferCacheTest.class))
                .configurationParameter("memtrack.report.dir", "target/memtrack")
                // the CI gate: each passing sample is checked against samples/memtrack-baseline.json
                // (committed); -Dmemtrack.baseline.mode=record records it again
                .configurationParameter("memtrack.baseline.mode", System.getProperty("memtrack.baseline.mode", "check"))
                .build();
        Outcomes outcomes = new Outcomes();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(request, outcomes);
        DeflaterPool.clear();

        System.out.println();
        System.out.println("memtrack samples: " + outcomes.asExpected + " of " + EXPECTED_FAILURE.size()
                + " tests ended as expected (" + outcomes.caught + " real leaks or budget breaches caught).");
        Path reports = Path.of("target", "memtrack").toAbsolutePath();
        if (Files.isDirectory(reports)) {
            System.out.println("HTML reports: " + reports + " (one per failed test, a capture per test; e.g. "
                    + reports.resolve("dev.memtrack.samples.ZstdCompressorTest/leaksContextsItNeverCloses.html") + ")");
        }
        if (outcomes.asExpected != EXPECTED_FAILURE.size()) {
            System.out.println("SAMPLES FAILED: memtrack's verdicts differ from the expected ones above.");
            System.exit(1);
        }
    }

    private static final class Outcomes implements TestExecutionListener {
        int asExpected;
        int caught;

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            Optional<String> method = id.getSource().filter(MethodSource.class::isInstance)
                    .map(s -> ((MethodSource) s).getMethodName());
            if (method.isEmpty()) {
                if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                    System.out.println("!! " + id.getDisplayName() + ": " + result.getThrowable().map(Throwable::toString).orElse("?"));
                }
                return;
            }
            String name = ((MethodSource) id.getSource().get()).getClassName().replaceFirst(".*\\.", "") + "." + method.get();
            boolean failed = result.getStatus() != TestExecutionResult.Status.SUCCESSFUL;
            // An expected failure must be memtrack's verdict, not any error on the way.
            boolean verdict = result.getThrowable()
                    .filter(t -> t instanceof org.opentest4j.AssertionFailedError)
                    .map(Throwable::getMessage)
                    .filter(m -> m != null && (m.startsWith("Test ") || m.startsWith("Block ")))
                    .isPresent();
            boolean expectedFailure = EXPECTED_FAILURE.getOrDefault(method.get(), false);
            boolean asExpectedNow = failed ? expectedFailure && verdict : !expectedFailure;
            if (asExpectedNow) {
                asExpected++;
            }
            if (failed && verdict && expectedFailure) {
                caught++;
            }
            System.out.println();
            System.out.println("---- " + name + ": " + (failed ? "FAILED" : "passed")
                    + (asExpectedNow ? " (as expected)" : " (UNEXPECTED)"));
            result.getThrowable().ifPresent(t -> System.out.println(verdict ? t.getMessage() : t.toString()));
        }
    }
}
