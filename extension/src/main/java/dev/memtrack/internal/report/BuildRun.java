package dev.memtrack.internal.report;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which run (build) this JVM belongs to, so the suite summary can keep to this run's captures
 * and set apart those left in the report directory by earlier runs (docs/reports.md). The id is
 * written into every capture.
 *
 * <p>In order:
 * <ol>
 * <li>{@code memtrack.run.id}, a JUnit configuration parameter or system property, as given:
 *     for CI shards, several modules sharing one report directory, Gradle workers.</li>
 * <li>In a Surefire fork, the Surefire execution's start time: Surefire starts every fork of one
 *     execution with the same time stamp argument ({@code 2026-12-04T15-49-57_332-jvmRun1}, only
 *     the fork number differs), so all forks of one module's test run share the id, whatever
 *     {@code forkCount} and {@code reuseForks}, and no later build can have it.</li>
 * <li>Otherwise (IDE, Gradle, the console launcher, {@code forkCount=0}) this JVM: its process
 *     id and start time, unique on the machine.</li>
 * </ol>
 */
final class BuildRun {

    static final String RUN_ID_KEY = "memtrack.run.id";

    /**
     * The time stamp argument of Surefire's fork command line (booter jar or class, temp dir, time
     * stamp, ...); looked for as a whole word anywhere, as the temp dir's path may hold spaces.
     */
    private static final Pattern SUREFIRE_BOOTER =
            Pattern.compile("(org\\.apache\\.maven\\.surefire\\.booter\\.ForkedBooter|[^\\n]*?surefirebooter[^/\\s]*\\.jar)\\s");
    private static final Pattern SUREFIRE_STAMP =
            Pattern.compile("\\s(\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d_\\d+)-jvmRun\\d+(?=\\s|$)");

    private static volatile String configured;
    private static volatile String derived;

    private BuildRun() {
    }

    /** This JVM's run id; never empty. */
    static String current() {
        String id = configured;
        if (id != null) {
            return id;
        }
        id = explicit(System.getProperty(RUN_ID_KEY));
        if (id != null) {
            return id;
        }
        id = derived;
        if (id == null) {
            ProcessHandle self = ProcessHandle.current();
            id = derive(System.getProperty("sun.java.command"), self.pid(), self.info().startInstant());
            derived = id;
        }
        return id;
    }

    /** {@code memtrack.run.id} from the launcher's configuration, which beats the system property; null forgets it. */
    static void configure(String runId) {
        configured = explicit(runId);
    }

    static String derive(String javaCommand, long pid, Optional<Instant> start) {
        if (javaCommand != null) {
            String command = javaCommand.trim();
            Matcher stamp = SUREFIRE_STAMP.matcher(command);
            if (SUREFIRE_BOOTER.matcher(command).lookingAt() && stamp.find()) {
                return "surefire-" + stamp.group(1);
            }
        }
        return "jvm-" + pid + "-" + start.map(Instant::toEpochMilli).orElse(0L);
    }

    private static String explicit(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
