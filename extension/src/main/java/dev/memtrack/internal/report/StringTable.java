package dev.memtrack.internal.report;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Distinct strings in first-use order. Frames repeat the same library, file and class names
 * many times; storing each once and referring to it by index is most of the format's saving.
 */
final class StringTable {

    private final Map<String, Integer> indices = new HashMap<>();
    private final List<String> strings = new ArrayList<>();

    /** Index of {@code s}, adding it if new; {@code null} is stored as the empty string. */
    int indexOf(String s) {
        return indices.computeIfAbsent(s == null ? "" : s, key -> {
            strings.add(key);
            return strings.size() - 1;
        });
    }

    List<String> strings() {
        return strings;
    }
}
