package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Frame;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinct frames in first-use order. Stacks of one test share most of their frames (the test
 * method, the library entry points), so sites refer to frames by index and a frame's strings
 * are stored once, whatever the number of sites that pass through it.
 */
final class FrameTable {

    private final Map<Frame, Integer> indices = new HashMap<>();
    private final List<Frame> frames = new ArrayList<>();
    private final StringTable strings = new StringTable();

    int indexOf(Frame frame) {
        Integer known = indices.get(frame);
        if (known != null) {
            return known;
        }
        // Intern the strings at first sight so the string table follows frame order too.
        strings.indexOf(frame.symbol());
        strings.indexOf(frame.library());
        strings.indexOf(frame.file());
        frames.add(frame);
        indices.put(frame, frames.size() - 1);
        return frames.size() - 1;
    }

    List<Frame> frames() {
        return frames;
    }

    StringTable strings() {
        return strings;
    }
}
