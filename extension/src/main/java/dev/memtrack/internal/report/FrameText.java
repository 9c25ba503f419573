package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
import java.util.List;
import java.util.Optional;

/**
 * One frame as one line of text. Java frames read like a {@link StackTraceElement}
 * ({@code a.b.C.m(C.java:42)}); native frames give the function, its library in brackets and
 * the source position where known, as the failure messages do.
 */
final class FrameText {

    private FrameText() {
    }

    static String format(Frame frame) {
        if (frame.isJava()) {
            return frame.symbol() + "(" + javaPosition(frame) + ")";
        }
        StringBuilder text = new StringBuilder(frame.symbol());
        if (!frame.library().isEmpty()) {
            text.append(" [").append(frame.library()).append(']');
        }
        if (!frame.file().isEmpty()) {
            text.append(' ').append(frame.file());
            if (frame.line() > 0) {
                text.append(':').append(frame.line());
            }
        }
        return text.toString();
    }

    private static String javaPosition(Frame frame) {
        if (frame.line() == Frame.NATIVE_METHOD_LINE) {
            return "Native Method";
        }
        if (frame.file().isEmpty()) {
            return "Unknown Source";
        }
        return frame.line() > 0 ? frame.file() + ":" + frame.line() : frame.file();
    }

    /** The frame that called the allocator: where a reader starts looking. */
    static Optional<Frame> caller(Site site) {
        return site.frames().stream().filter(f -> f.kind() != Frame.Kind.ALLOCATOR).findFirst();
    }

    /**
     * The first native frame below the allocator that has a name (the first one when none has:
     * a stripped library's {@code 0x47ea2} is the same on every row and tells nothing); empty for
     * a Java-heap site.
     */
    static Optional<Frame> firstNative(Site site) {
        Optional<Frame> named = site.frames().stream()
                .filter(f -> f.kind() == Frame.Kind.NATIVE && !f.symbol().startsWith("0x"))
                .findFirst();
        return named.isPresent() ? named : site.frames().stream().filter(f -> f.kind() == Frame.Kind.NATIVE).findFirst();
    }

    private static final List<String> JDK_PACKAGES = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

    /** The innermost Java frame outside the JDK (and JNA): the application's or library's code that allocated. */
    static Optional<Frame> firstUserFrame(Site site) {
        Optional<Frame> user = site.frames().stream()
                .filter(f -> f.isJava() && JDK_PACKAGES.stream().noneMatch(f.symbol()::startsWith))
                .findFirst();
        return user.isPresent() ? user : site.frames().stream().filter(Frame::isJava).findFirst();
    }
}
