package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One-time initialisation is not a leak: the first use of common JDK facilities, in a fresh JVM
 * (in this one, earlier tests have long initialised them), passes the leak check.
 */
class ManagedFirstUseTests {

    static String runFixture(Class<?> main, String... jvmArgs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        String library = System.getProperty(NativeAgentLoader.LIBRARY_PATH_PROPERTY);
        if (library != null) {
            command.add("-D" + NativeAgentLoader.LIBRARY_PATH_PROPERTY + "=" + library);
        }
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        command.addAll(List.of(jvmArgs));
        command.add(main.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void firstUseOfCommonJdkFacilitiesIsNotALeak() throws Exception {
        String out = runFixture(ManagedFirstUseFixture.class);
        System.out.println(out);
        for (String facility : List.of("String.format", "java.time", "regex", "lambdas", "class initialiser", "string concat")) {
            assertThat(out).as(out).contains(facility + " leaks=0 ");
        }
        // the class initialiser's table (4 MiB) is one-time initialisation
        assertThat(out).containsPattern("class initialiser leaks=0 once=4\\d{6} ");
        assertThat(out).contains("retained by: static " + ManagedFirstUseFixture.LazyTable.class.getName() + ".TABLE");
    }

    /**
     * Every object sampled, so every object the first uses leave behind is judged, whatever a
     * sampled run happens to pick: the interned method types and class-loading locks the JVM holds
     * through its own roots, a linked class's resolved references, JDK caches. (A sampled run met
     * one of them, a MethodType held by a JVM internal root, as a 256 KiB leak once in seven runs.)
     */
    @Test
    void firstUseIsNotALeakWhenEveryObjectIsJudged() throws Exception {
        String out = runFixture(ManagedFirstUseFixture.class, "-D" + ManagedTrackerJna.INTERVAL_PROPERTY + "=0");
        System.out.println(out);
        assertThat(out).contains("held by the JVM");
        // lambdas are left out: the JVM's MemberName name strings in MethodHandles.Lookup's
        // LOOKASIDE_TABLE (48 B, allocated natively while linking) are still judged leaks here
        for (String facility : List.of("String.format", "java.time", "regex", "class initialiser", "string concat")) {
            assertThat(out).as(out).contains(facility + " leaks=0 ");
        }
    }
}
