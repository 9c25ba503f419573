package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import java.nio.charset.StandardCharsets;

/**
 * Constants of the capture file format, specified in {@code docs/capture-format.md}.
 *
 * <p>Enum values are mapped to explicit codes instead of ordinals so that reordering or adding
 * an enum constant in the model can never silently change the meaning of existing files.
 */
final class CaptureFormat {

    static final byte[] MAGIC = "MTCAP".getBytes(StandardCharsets.US_ASCII);
    /** Written: 2 since the owners section (issue 13). */
    static final int VERSION = 2;
    /** Read: version 1 is version 2 without the owners section. */
    static final int OLDEST_READ_VERSION = 1;
    static final String FILE_EXTENSION = ".mtcap";

    // Section tags, written in this order. A reader skips tags it does not know.
    static final int END = 0;
    static final int TEST = 1;
    static final int FIGURES = 2;
    static final int STRINGS = 3;
    static final int FRAMES = 4;
    static final int SITES = 5;
    static final int TIMELINE = 6;
    static final int FAILURES = 7;
    /** Optional: reference paths of leaked managed sites (absent in captures of earlier writers). */
    static final int RETAINED = 8;
    /** Optional: owner lines of leaked native sites (version 2). */
    static final int OWNERS = 9;

    private CaptureFormat() {
    }

    static String sectionName(int tag) {
        return switch (tag) {
            case TEST -> "test";
            case FIGURES -> "figures";
            case STRINGS -> "strings";
            case FRAMES -> "frames";
            case SITES -> "sites";
            case TIMELINE -> "timeline";
            case FAILURES -> "failures";
            case RETAINED -> "retained";
            case OWNERS -> "owners";
            default -> "#" + tag;
        };
    }

    static int code(Domain domain) {
        return switch (domain) {
            case NATIVE -> 0;
            case MANAGED -> 1;
        };
    }

    static Domain domain(int code) throws CaptureFormatException {
        return switch (code) {
            case 0 -> Domain.NATIVE;
            case 1 -> Domain.MANAGED;
            default -> throw new CaptureFormatException("unknown domain code " + code + " (expected 0 or 1)");
        };
    }

    static int code(Origin origin) {
        return switch (origin) {
            case JNI_LIBRARY -> 0;
            case JDK_OFF_HEAP -> 1;
            case JVM_INTERNAL -> 2;
            case JAVA_HEAP -> 3;
        };
    }

    static Origin origin(int code) throws CaptureFormatException {
        return switch (code) {
            case 0 -> Origin.JNI_LIBRARY;
            case 1 -> Origin.JDK_OFF_HEAP;
            case 2 -> Origin.JVM_INTERNAL;
            case 3 -> Origin.JAVA_HEAP;
            default -> throw new CaptureFormatException("unknown origin code " + code + " (expected 0 to 3)");
        };
    }

    static int code(Frame.Kind kind) {
        return switch (kind) {
            case ALLOCATOR -> 0;
            case NATIVE -> 1;
            case JAVA -> 2;
        };
    }

    static Frame.Kind kind(int code) throws CaptureFormatException {
        return switch (code) {
            case 0 -> Frame.Kind.ALLOCATOR;
            case 1 -> Frame.Kind.NATIVE;
            case 2 -> Frame.Kind.JAVA;
            default -> throw new CaptureFormatException("unknown frame kind code " + code + " (expected 0 to 2)");
        };
    }
}
