package dev.memtrack.internal.report;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a test's files go: {@code <reportDir>/<testClass>/<testMethod>.mtcap} and {@code .html}
 * beside it. Names are reduced to characters that are safe on every file system and in a URL
 * path once percent-encoded, so a display name or a parameterized invocation can never escape
 * the report directory or collide with {@code index.html}.
 */
final class ReportFileNames {

    static final String HTML_EXTENSION = ".html";
    static final String JSON_EXTENSION = ".json";

    /** Well below the usual 255-byte limit, leaving room for the temp-file prefix and suffix. */
    private static final int MAX_NAME_BYTES = 150;

    private ReportFileNames() {
    }

    static Path captureFile(Path reportDir, String testClass, String testMethod) {
        return reportDir.resolve(sanitize(testClass)).resolve(sanitize(testMethod) + CaptureFormat.FILE_EXTENSION);
    }

    static Path htmlFile(Path reportDir, String testClass, String testMethod) {
        return reportDir.resolve(sanitize(testClass)).resolve(sanitize(testMethod) + HTML_EXTENSION);
    }

    /** The HTML report that belongs beside a capture file. */
    static Path htmlBeside(Path captureFile) {
        return beside(captureFile, HTML_EXTENSION);
    }

    /** The JSON results that belong beside a capture file (docs/reports.md). */
    static Path jsonBeside(Path captureFile) {
        return beside(captureFile, JSON_EXTENSION);
    }

    private static Path beside(Path captureFile, String extension) {
        String name = captureFile.getFileName().toString();
        String base = name.endsWith(CaptureFormat.FILE_EXTENSION)
                ? name.substring(0, name.length() - CaptureFormat.FILE_EXTENSION.length())
                : name;
        return captureFile.resolveSibling(base + extension);
    }

    /** Keeps letters, digits and {@code . _ - [ ] $}; replaces everything else with {@code _}. */
    static String sanitize(String name) {
        String source = name == null ? "" : name;
        StringBuilder out = new StringBuilder(source.length());
        source.codePoints().forEach(cp -> {
            boolean keep = Character.isLetterOrDigit(cp) || ".-_[]$".indexOf(cp) >= 0;
            if (keep) {
                out.appendCodePoint(cp);
            } else {
                out.append('_');
            }
        });
        String safe = out.toString();
        if (safe.isEmpty() || safe.equals(".") || safe.equals("..")) {
            return "_";
        }
        return shorten(safe);
    }

    /** Long names keep a readable start and a hash of the whole, so they stay distinct. */
    private static String shorten(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_NAME_BYTES) {
            return name;
        }
        String hash = String.format(Locale.ROOT, "%08x", name.hashCode());
        StringBuilder start = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > MAX_NAME_BYTES - hash.length() - 1) {
                break;
            }
            start.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return start + "~" + hash;
    }
}
