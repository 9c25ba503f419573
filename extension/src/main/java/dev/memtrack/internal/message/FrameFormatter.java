package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Frame;
import java.util.List;

/**
 * One row of a printed stack, one line, as docs/failure-messages.md shows it. Native frames: the
 * function padded to the function column (at least one space after it), the library, and
 * {@code file:line} three spaces further when known. Java frames read like
 * {@link StackTraceElement#toString()} so IDEs turn them into links.
 *
 * <p>The function column is 40 wide, or as wide as the longest function shown (up to
 * {@value #MAX_SYMBOL_COLUMNS}), so that the libraries of one message stay in one column; a
 * longer function (a C++ template) keeps one space before its library.
 */
final class FrameFormatter {

    static final String INDENT = "    ";
    static final int SYMBOL_COLUMNS = 40;
    static final int MAX_SYMBOL_COLUMNS = 80;

    private FrameFormatter() {
    }

    /** A frame in the default 40 columns. */
    static String format(Frame frame) {
        return format(StackRow.of(frame), SYMBOL_COLUMNS);
    }

    /** The function column for these rows: 40, or the longest native function shown plus one space, up to 80. */
    static int symbolColumns(List<StackRow> rows) {
        int widest = SYMBOL_COLUMNS;
        for (StackRow row : rows) {
            if (row.isNative() && row.symbol().length() < MAX_SYMBOL_COLUMNS) {
                widest = Math.max(widest, row.symbol().length() + 1);
            }
        }
        return widest;
    }

    static String format(StackRow row, int symbolColumns) {
        if (row.isLeftOut()) {
            return INDENT + "... " + Plural.of(row.frames(), "frame") + " left out";
        }
        Frame frame = row.frame();
        return frame.isJava() ? formatJava(frame) : formatNative(row, symbolColumns);
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

    private static String formatNative(StackRow row, int symbolColumns) {
        Frame frame = row.frame();
        StringBuilder line = new StringBuilder(INDENT).append(row.symbol());
        if (frame.library().isEmpty() && frame.file().isEmpty()) {
            return line.toString();
        }
        do {
            line.append(' ');
        } while (line.length() < INDENT.length() + symbolColumns);
        line.append(frame.library());
        if (!row.isFolded() && !frame.file().isEmpty()) {
            line.append("   ").append(frame.file());
            if (frame.line() > 0) {
                line.append(':').append(frame.line());
            }
        }
        return line.toString();
    }
}
