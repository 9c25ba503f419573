package dev.memtrack.internal.message;

import dev.memtrack.internal.model.Frame;
import java.util.ArrayList;
import java.util.List;

/**
 * One printed row of a stack: a frame, or a run of consecutive native frames of one library that
 * have no symbol ({@code 0x47ea2}, {@code 0x3c010}, ...), folded into one row that says how many
 * frames it stands for. A stripped library (a JDBC driver's statically linked SQLite, say) makes
 * such runs; their offsets mean nothing to a reader, and sites that differ only there print alike
 * and are merged.
 *
 * <p>A third kind of row stands in for frames a length budget left out of the middle of a long
 * stack: {@code ... 12 frames left out}.
 *
 * @param frame  the frame, or the innermost frame of a folded run; null for frames left out
 * @param frames how many frames the row stands for (1 for a plain frame)
 */
record StackRow(Frame frame, int frames) {

    /** The least number of unsymbolized frames that are folded into one row. */
    static final int FOLD_AT = 2;

    static StackRow of(Frame frame) {
        return new StackRow(frame, 1);
    }

    static StackRow leftOut(int frames) {
        return new StackRow(null, frames);
    }

    boolean isLeftOut() {
        return frame == null;
    }

    boolean isFolded() {
        return frame != null && frames > 1;
    }

    boolean isNative() {
        return frame != null && !frame.isJava();
    }

    /** The function column: the frame's symbol, or {@code (7 frames without symbols)} for a folded run. */
    String symbol() {
        return isFolded() ? "(" + frames + " frames without symbols)" : frame.symbol();
    }

    /** Frames innermost first, runs of unsymbolized frames of one library folded. */
    static List<StackRow> fold(List<Frame> frames) {
        List<StackRow> rows = new ArrayList<>(frames.size());
        int i = 0;
        while (i < frames.size()) {
            Frame first = frames.get(i);
            int end = i + 1;
            if (isUnsymbolized(first)) {
                while (end < frames.size() && isUnsymbolized(frames.get(end))
                        && frames.get(end).library().equals(first.library())) {
                    end++;
                }
            }
            int run = end - i;
            if (run >= FOLD_AT) {
                rows.add(new StackRow(first, run));
            } else {
                for (int k = i; k < end; k++) {
                    rows.add(of(frames.get(k)));
                }
            }
            i = end;
        }
        return rows;
    }

    private static boolean isUnsymbolized(Frame frame) {
        return frame.kind() == Frame.Kind.NATIVE && frame.symbol().startsWith("0x") && frame.file().isEmpty();
    }
}
