package dev.memtrack.internal.baseline;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The module root a relative {@code memtrack.baseline.file} is resolved against: the nearest
 * directory holding a build file ({@code pom.xml}, {@code build.gradle}, {@code build.gradle.kts})
 * above the directory the test class was loaded from ({@code target/test-classes},
 * {@code build/classes/java/test}). Surefire and Gradle run tests with the module's directory as
 * working directory, IDEs often with the project's (the root of a multi-module build); resolving
 * against where the test class lives gives the same file in both. Where that fails (a class
 * from a jar outside a build tree), the working directory.
 */
@API(status = INTERNAL, since = "0.1")
public final class ModuleRoot {

    private static final List<String> BUILD_FILES = List.of("pom.xml", "build.gradle", "build.gradle.kts");

    private ModuleRoot() {
    }

    public static Path of(Class<?> testClass) {
        Path workingDirectory = Path.of("").toAbsolutePath().normalize();
        Path classes = classesLocation(testClass);
        if (classes == null) {
            return workingDirectory;
        }
        for (Path dir = classes; dir != null; dir = dir.getParent()) {
            for (String buildFile : BUILD_FILES) {
                if (Files.isRegularFile(dir.resolve(buildFile))) {
                    return dir;
                }
            }
        }
        return workingDirectory;
    }

    private static Path classesLocation(Class<?> testClass) {
        try {
            CodeSource source = testClass.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return null;
            }
            return Path.of(source.getLocation().toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return null; // a location we cannot read as a path: the working directory stands in
        }
    }
}
