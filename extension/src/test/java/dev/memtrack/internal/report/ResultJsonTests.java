package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON results: exact text of a test's and of the suite summary's, and when the files are written. */
class ResultJsonTests {

    @TempDir
    Path reportDir;

    @Test
    void aTestsResultsHoldItsFiguresPerDomainAndItsSitesWithFirstUserAndNativeFrames() {
        String json = ResultJson.test(CaptureFixtures.leakingTest().withRunId("run-1"));

        assertThat(json).isEqualTo("{\"schema\":\"memtrack-test/1\","
                + "\"test\":{\"id\":\"[engine:junit-jupiter]/[class:com.acme.StoreTest]/[method:writesKeys()]\","
                + "\"class\":\"com.acme.StoreTest\",\"method\":\"writesKeys\",\"displayName\":\"writesKeys()\",\"runId\":\"run-1\","
                + "\"startEpochMillis\":1700000000000,\"durationNanos\":12345678},\"verdict\":\"failed\","
                + "\"failures\":[\"Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)\"],\"peak\":7527637,\"peakExact\":false,"
                + "\"native\":{\"peak\":3333333,\"leaked\":3333333,\"leakedAllocations\":1,\"allocated\":3333333,\"allocations\":1,\"freed\":0,"
                + "\"frees\":0},\"managed\":{\"peak\":4194304,\"leaked\":0,\"leakedAllocations\":0,\"allocated\":8388608,\"allocations\":64,"
                + "\"freed\":8388608,\"frees\":64},\"sites\":[{\"domain\":\"managed\",\"origin\":\"heap\",\"allocated\":8388608,\"allocations\":64,"
                + "\"peak\":4194304,\"peakAllocations\":32,\"leaked\":0,\"leakedAllocations\":0,\"firstUserFrame\":{\"kind\":\"java\","
                + "\"symbol\":\"com.acme.StoreTest.writesKeys\",\"file\":\"StoreTest.java\",\"line\":27},\"firstNativeFrame\":null,"
                + "\"retainedBy\":[],\"ownedBy\":null,\"stack\":[0,1]},{\"domain\":\"native\",\"origin\":\"jni\",\"allocated\":3333333,\"allocations\":1,"
                + "\"peak\":3333333,\"peakAllocations\":1,\"leaked\":3333333,\"leakedAllocations\":1,\"firstUserFrame\":{\"kind\":\"java\","
                + "\"symbol\":\"com.acme.StoreTest.writesKeys\",\"file\":\"StoreTest.java\",\"line\":27},"
                + "\"firstNativeFrame\":{\"kind\":\"native\",\"symbol\":\"Java_com_sun_jna_Native_malloc\",\"library\":\"libjnidispatch.so\"},"
                + "\"retainedBy\":[],\"ownedBy\":null,\"stack\":[2,3,4,5,1]}],\"sitesLeftOut\":0,\"frames\":[{\"kind\":\"java\","
                + "\"symbol\":\"java.util.Arrays.copyOf\",\"file\":\"Arrays.java\",\"line\":3537},{\"kind\":\"java\","
                + "\"symbol\":\"com.acme.StoreTest.writesKeys\",\"file\":\"StoreTest.java\",\"line\":27},{\"kind\":\"allocator\","
                + "\"symbol\":\"malloc\",\"library\":\"libc.so.6\"},{\"kind\":\"native\",\"symbol\":\"Java_com_sun_jna_Native_malloc\","
                + "\"library\":\"libjnidispatch.so\"},{\"kind\":\"java\",\"symbol\":\"com.sun.jna.Native.malloc\",\"file\":\"Native.java\","
                + "\"line\":-2},{\"kind\":\"java\",\"symbol\":\"com.sun.jna.Memory.\\u003cinit\\u003e\",\"file\":\"Memory.java\",\"line\":112}]}\n");
    }

    @Test
    void theSummaryJsonHoldsThisRunsTestsAndTheEarlierRunsApartWithPathsRelativeToTheDirectory() throws IOException {
        CaptureWriter.write(CaptureFixtures.leakingTest().withRunId("run-0"), reportDir, true, true);
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "big", 5L << 20, 0, 6L << 20).withRunId("run-1"), reportDir, false, false);

        SuiteSummary summary = SuiteSummary.scanRun(reportDir, "run-1");
        summary.writeIndex(false);

        assertThat(Files.readString(reportDir.resolve("summary.json"), StandardCharsets.UTF_8)).isEqualTo("{\"schema\":\"memtrack-summary/1\",\"runId\":\"run-1\",\"tests\":1,\"failed\":0,"
                + "\"entries\":[{\"test\":{\"id\":\"[class:com.acme.A]/[method:big]\",\"class\":\"com.acme.A\",\"method\":\"big\","
                + "\"displayName\":\"big()\",\"runId\":\"run-1\",\"startEpochMillis\":0},\"verdict\":\"passed\",\"peak\":5242880,\"peakExact\":true,\"leaked\":0,"
                + "\"allocated\":6291456,\"native\":{\"peak\":5242880,\"leaked\":0,\"leakedAllocations\":0,\"allocated\":6291456,"
                + "\"allocations\":1,\"freed\":0,\"frees\":0},\"managed\":{\"peak\":0,\"leaked\":0,\"leakedAllocations\":0,\"allocated\":0,"
                + "\"allocations\":0,\"freed\":0,\"frees\":0},\"capture\":\"com.acme.A/big.mtcap\",\"report\":null,\"results\":null}],"
                + "\"earlierRuns\":[{\"test\":{\"id\":\"[engine:junit-jupiter]/[class:com.acme.StoreTest]/[method:writesKeys()]\","
                + "\"class\":\"com.acme.StoreTest\",\"method\":\"writesKeys\",\"displayName\":\"writesKeys()\",\"runId\":\"run-0\","
                + "\"startEpochMillis\":1700000000000},\"verdict\":\"failed\",\"peak\":7527637,\"peakExact\":false,\"leaked\":3333333,\"allocated\":11721941,"
                + "\"native\":{\"peak\":3333333,\"leaked\":3333333,\"leakedAllocations\":1,\"allocated\":3333333,\"allocations\":1,\"freed\":0,"
                + "\"frees\":0},\"managed\":{\"peak\":4194304,\"leaked\":0,\"leakedAllocations\":0,\"allocated\":8388608,\"allocations\":64,"
                + "\"freed\":8388608,\"frees\":64},\"capture\":\"com.acme.StoreTest/writesKeys.mtcap\","
                + "\"report\":\"com.acme.StoreTest/writesKeys.html\",\"results\":\"com.acme.StoreTest/writesKeys.json\"}],"
                + "\"unreadable\":[]}\n");
    }

    @Test
    void resultsAreWrittenBesideTheCaptureOnRequestAndAStaleOneIsRemoved() throws IOException {
        TestCapture failed = CaptureFixtures.leakingTest();
        CaptureFiles files = CaptureWriter.write(failed, reportDir, true, true);
        Path results = reportDir.resolve("com.acme.StoreTest").resolve("writesKeys.json");

        assertThat(Files.readString(results, StandardCharsets.UTF_8))
                .isEqualTo(ResultJson.test(CaptureReader.read(files.capture())))
                .contains("\"runId\":\"" + BuildRun.current() + "\"");

        CaptureWriter.write(failed, reportDir, false, false); // passes the next time: the old results would mislead
        assertThat(results).doesNotExist();
        assertThat(files.capture()).isRegularFile();
    }

    @Test
    void theCommandLinesSummaryWritesTheJsonOfEveryCapture() throws IOException {
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "one", 1, 0, 1).withRunId("run-0"), reportDir, false, false);
        CaptureWriter.write(CaptureFixtures.test("com.acme.A", "two", 2, 0, 2).withRunId("run-1"), reportDir, false, false);

        SuiteSummary.scan(reportDir).writeIndex();

        assertThat(Files.readString(reportDir.resolve("summary.json"), StandardCharsets.UTF_8))
                .startsWith("{\"schema\":\"memtrack-summary/1\",\"runId\":null,\"tests\":2,\"failed\":0,\"entries\":[")
                .contains("\"earlierRuns\":[],");
    }
}
