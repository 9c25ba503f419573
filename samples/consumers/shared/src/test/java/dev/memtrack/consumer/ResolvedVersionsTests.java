package dev.memtrack.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The versions this project declared are the ones that run: memtrack-junit forces no JUnit, JNA,
 * AssertJ or ByteBuddy version on it, and puts no helper of its own (Awaitility, Hamcrest) on the
 * class path. The expected versions come from the consumer's POM (Surefire system properties); a
 * property that is not set is not checked.
 */
class ResolvedVersionsTests {

    private static final Pattern JAR_VERSION = Pattern.compile("-(\\d[^/]*?)\\.jar$");

    @Test
    void junitIsTheProjects() throws Exception {
        expect("junit-jupiter-api", "org.junit.jupiter.api.Test");
        expect("junit-jupiter-engine", "org.junit.jupiter.engine.JupiterTestEngine");
        expect("junit-platform-commons", "org.junit.platform.commons.support.AnnotationSupport");
    }

    @Test
    void librariesTheProjectPinnedAreItsOwn() throws Exception {
        expect("byte-buddy", "net.bytebuddy.ByteBuddy");
        expect("jna", "com.sun.jna.Native");
        expect("assertj-core", "org.assertj.core.api.Assertions");
    }

    @Test
    void memtrackBringsNoHelperOfItsOwn() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.awaitility.Awaitility"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.hamcrest.Matcher"));
    }

    private static void expect(String artifact, String className) throws ClassNotFoundException, URISyntaxException {
        String expected = System.getProperty("expected." + artifact);
        if (expected == null) {
            return;
        }
        Class<?> type = Class.forName(className, false, ResolvedVersionsTests.class.getClassLoader());
        String jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
        Matcher version = JAR_VERSION.matcher(jar);
        assertEquals(artifact + "-" + expected + ".jar", version.find() ? artifact + "-" + version.group(1) + ".jar" : jar,
                className + " comes from " + jar);
    }
}
