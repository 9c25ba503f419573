package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Frame;

/**
 * One frame, one line, as docs/failure-messages.md shows it. Native frames: the function padded
 * to 40 columns (at least one space after it), the library, and {@code file:line} three spaces
 * further when known. Java frames read like {@link StackTraceElement#toString()} so IDEs turn
 * them into links.
 */
final class FrameFormatter {

    static final String INDENT = "    ";
    private static final int SYMBOL_COLUMNS = 40;

    private FrameFormatter() {
    }

    static String format(Frame frame) {
        return frame.isJava() ? formatJava(frame) : formatNative(frame);
    }

    private static String formatJava(Frame frame) {
        String location;
        if (frame.line() == Frame.NATIVE_METHOD_LINE) {
            location = "Native Method";
        } else if (frame.file().isEmpty()) {
            location = "Unknown Source";
        } else if (frame.line() > 0) {
            location = frame.file() + ":" + frame.line();
        } else {
            location = frame.file();
        }
        return INDENT + frame.symbol() + "(" + location + ")";
    }

    private static String formatNative(Frame frame) {
        StringBuilder line = new StringBuilder(INDENT).append(frame.symbol());
        if (frame.library().isEmpty() && frame.file().isEmpty()) {
            return line.toString();
        }
        do {
            line.append(' ');
        } while (line.length() < INDENT.length() + SYMBOL_COLUMNS);
        line.append(frame.library());
        if (!frame.file().isEmpty()) {
            line.append("   ").append(frame.file());
            if (frame.line() > 0) {
                line.append(':').append(frame.line());
            }
        }
        return line.toString();
    }
}
