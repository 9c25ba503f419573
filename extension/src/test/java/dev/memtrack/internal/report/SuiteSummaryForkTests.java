package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real JVMs sharing one report directory, as Surefire forks do: two of one run at the same time
 * (they take turns under the directory's lock and the last index holds both), then one of a
 * later run, which sets their captures apart.
 */
class SuiteSummaryForkTests {

    @TempDir
    Path reportDir;

    @Test
    void forksOfOneRunMergeInTheIndexAndALaterRunSetsThemApart() throws Exception {
        Process first = fork("build-1", "a1", "a2");
        Process second = fork("build-1", "b1");
        String firstOut = finish(first);
        String secondOut = finish(second);

        assertThat(firstOut).contains("com.acme.Fork.a1", "com.acme.Fork.a2").doesNotContain("com.acme.Fork.b1");
        assertThat(secondOut).contains("com.acme.Fork.b1").doesNotContain("com.acme.Fork.a1");
        // whichever summarised second saw the other's tests and says it printed a part
        assertThat(List.of(firstOut, secondOut)).anySatisfy(out -> assertThat(out).contains("this JVM's part of the run"));
        assertThat(Files.readString(reportDir.resolve("summary.json"), StandardCharsets.UTF_8))
                .contains("\"runId\":\"build-1\",\"tests\":3,\"failed\":0,", "\"earlierRuns\":[],");

        String laterOut = finish(fork("build-2", "a1"));

        assertThat(laterOut).contains("memtrack: 1 tracked test, 0 failed a memory verdict.",
                "Not in this summary: 2 captures left by earlier runs (tests not run this time), listed apart in the index.");
        assertThat(Files.readString(reportDir.resolve("index.html"), StandardCharsets.UTF_8))
                .contains("<h2>Earlier runs (not in this summary)</h2>");
    }

    private Process fork(String runId, String... tests) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dmemtrack.run.id=" + runId, "-cp", System.getProperty("java.class.path"), ForkSimulationMain.class.getName(),
                reportDir.toString()));
        command.addAll(List.of(tests));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String finish(Process process) throws Exception {
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the fork ended: %s", out).isTrue();
        assertThat(process.exitValue()).as("exit status, output: %s", out).isZero();
        return out;
    }
}
