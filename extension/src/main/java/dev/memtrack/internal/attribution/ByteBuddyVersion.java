package dev.memtrack.internal.attribution;

import java.io.InputStream;
import java.net.URL;
import java.util.Properties;

/**
 * Which byte-buddy the test class path holds, for the warning when executor attribution cannot be
 * installed: an older one brought by another library (mockito 3.x brings 1.10) is the usual cause,
 * and the warning must name it and the fix.
 */
final class ByteBuddyVersion {

    /** The byte-buddy memtrack is built and tested with; ByteBuddyVersionTests keeps it equal to the build's. */
    static final String BUILT_WITH = "1.18.17";

    private ByteBuddyVersion() {
    }

    /** "1.10.19 (from /path/byte-buddy-1.10.19.jar)", or null when it cannot be told. */
    static String onClassPath() {
        try {
            URL jar = Class.forName("net.bytebuddy.ByteBuddy", false, ByteBuddyVersion.class.getClassLoader())
                    .getProtectionDomain().getCodeSource().getLocation();
            Properties p = new Properties();
            try (InputStream in = new URL("jar:" + jar + "!/META-INF/maven/net.bytebuddy/byte-buddy/pom.properties").openStream()) {
                p.load(in);
            }
            String version = p.getProperty("version");
            return version == null ? null : version + " (from " + jar.getPath() + ")";
        } catch (Exception | LinkageError e) {
            return null;
        }
    }

    /** The sentence to add to the warning when {@code found} is older than {@link #BUILT_WITH}; "" otherwise. */
    static String hint(String found) {
        if (found == null || !older(found, BUILT_WITH)) {
            return "";
        }
        return " The class path has byte-buddy " + found + ", older than the " + BUILT_WITH + " memtrack needs (another"
                + " dependency, e.g. an old mockito, brings it): declare net.bytebuddy:byte-buddy:" + BUILT_WITH
                + " and net.bytebuddy:byte-buddy-agent:" + BUILT_WITH + " as test dependencies, or update that library.";
    }

    /** Compares the numeric major.minor.patch prefix of two versions. */
    static boolean older(String found, String needed) {
        int[] a = numbers(found);
        int[] b = numbers(needed);
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return a[i] < b[i];
            }
        }
        return false;
    }

    private static int[] numbers(String version) {
        int[] n = new int[3];
        String[] parts = version.split("[^0-9]+", 4);
        for (int i = 0; i < 3 && i < parts.length; i++) {
            n[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
        }
        return n;
    }
}
