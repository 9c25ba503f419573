package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Site;
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
}
