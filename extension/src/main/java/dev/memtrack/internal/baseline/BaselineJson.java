package dev.memtrack.internal.baseline;

import dev.memtrack.internal.model.Domain;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The baseline file's text (docs/baselines.md): a JSON object with the format version and one
 * member per test, sorted by test name, <em>one test per line</em>, so that a review diff of a
 * re-recorded baseline shows exactly the tests whose figures changed.
 *
 * <pre>
 * {
 *   "format": "memtrack-baseline 1",
 *   "tests": {
 *     "com.acme.StoreTest.writesKeys": {"native": {"peak": 4096, "allocated": 8192, "leaked": 0}, "managed": {...,
 *         "sampling": 262144}, "combined": {...}, "capture": "memtrack-baseline/com.acme.StoreTest/writesKeys.mtcap"}
 *   }
 * }
 * </pre>
 */
final class BaselineJson {

    static final String FORMAT = "memtrack-baseline 1";
    private static final List<String> ENTRY_MEMBERS = List.of("native", "managed", "combined", "capture");

    private BaselineJson() {
    }

    static String write(Collection<BaselineEntry> entries) {
        SortedMap<String, BaselineEntry> sorted = new TreeMap<>();
        entries.forEach(e -> sorted.put(e.test(), e));
        StringBuilder out = new StringBuilder(256 + 320 * sorted.size());
        out.append("{\n  \"format\": \"").append(FORMAT).append("\",\n  \"tests\": {");
        String separator = "\n";
        for (BaselineEntry entry : sorted.values()) {
            out.append(separator).append("    ");
            quote(out, entry.test());
            out.append(": {");
            boolean first = true;
            for (Domain domain : Domain.values()) {
                Optional<FigureSet> figures = entry.figures(domain);
                if (figures.isEmpty()) {
                    continue;
                }
                if (!first) {
                    out.append(", ");
                }
                first = false;
                out.append('"').append(domain.label()).append("\": ");
                figures(out, figures.get(), domain == Domain.MANAGED ? entry.managedSampling() : -1);
            }
            if (!first) {
                out.append(", ");
            }
            out.append("\"combined\": ");
            figures(out, entry.combined(), -1);
            if (!entry.capture().isEmpty()) {
                out.append(", \"capture\": ");
                quote(out, entry.capture());
            }
            out.append('}');
            separator = ",\n";
        }
        out.append(sorted.isEmpty() ? "}\n}\n" : "\n  }\n}\n");
        return out.toString();
    }

    private static void figures(StringBuilder out, FigureSet figures, long sampling) {
        out.append('{');
        String separator = "";
        for (Figure figure : Figure.values()) {
            out.append(separator).append('"').append(figure.label()).append("\": ").append(figures.of(figure));
            separator = ", ";
        }
        if (sampling >= 0) {
            out.append(", \"sampling\": ").append(sampling);
        }
        out.append('}');
    }

    private static void quote(StringBuilder out, String s) {
        out.append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The entries by test name; {@code text} is the content of {@code file}, named in errors. */
    static SortedMap<String, BaselineEntry> read(Path file, String text) throws BaselineFormatException {
        JsonNode root = JsonParser.parse(file, text);
        Map<String, JsonNode> top = object(file, root, "the document");
        JsonNode format = top.get("format");
        if (format == null) {
            throw new BaselineFormatException(file, root.line(), "missing \"format\": \"" + FORMAT + "\"");
        }
        if (!FORMAT.equals(format.value())) {
            throw new BaselineFormatException(file, format.line(), "\"format\" is " + shown(format) + "; expected \"" + FORMAT
                    + "\" (written by another memtrack version?)");
        }
        JsonNode testsNode = top.get("tests");
        if (testsNode == null) {
            throw new BaselineFormatException(file, root.line(), "missing \"tests\": {...}");
        }
        SortedMap<String, BaselineEntry> entries = new TreeMap<>();
        for (Map.Entry<String, JsonNode> test : object(file, testsNode, "\"tests\"").entrySet()) {
            entries.put(test.getKey(), entry(file, test.getKey(), test.getValue()));
        }
        return entries;
    }

    private static BaselineEntry entry(Path file, String test, JsonNode node) throws BaselineFormatException {
        Map<String, JsonNode> members = object(file, node, "test \"" + test + "\"");
        for (Map.Entry<String, JsonNode> member : members.entrySet()) {
            if (!ENTRY_MEMBERS.contains(member.getKey())) {
                throw new BaselineFormatException(file, member.getValue().line(), "test \"" + test + "\" has an unknown member \""
                        + member.getKey() + "\"; expected " + String.join(", ", ENTRY_MEMBERS));
            }
        }
        Optional<FigureSet> nat = Optional.empty();
        Optional<FigureSet> managed = Optional.empty();
        long sampling = 0;
        if (members.containsKey("native")) {
            nat = Optional.of(figures(file, test + " native", members.get("native"), false));
        }
        if (members.containsKey("managed")) {
            JsonNode m = members.get("managed");
            managed = Optional.of(figures(file, test + " managed", m, true));
            JsonNode s = object(file, m, "").get("sampling");
            sampling = s == null ? 0 : number(file, test + " managed sampling", s);
        }
        JsonNode combinedNode = members.get("combined");
        if (combinedNode == null) {
            throw new BaselineFormatException(file, node.line(), "test \"" + test + "\" has no \"combined\" figures");
        }
        FigureSet combined = figures(file, test + " combined", combinedNode, false);
        String capture = "";
        JsonNode captureNode = members.get("capture");
        if (captureNode != null) {
            if (!(captureNode.value() instanceof String s)) {
                throw new BaselineFormatException(file, captureNode.line(), "test \"" + test + "\" capture is " + shown(captureNode)
                        + "; expected a path in double quotes");
            }
            capture = s;
        }
        return new BaselineEntry(test, capture, nat, managed, sampling, combined);
    }

    private static FigureSet figures(Path file, String what, JsonNode node, boolean samplingAllowed) throws BaselineFormatException {
        Map<String, JsonNode> members = object(file, node, "\"" + what + "\"");
        long[] values = new long[Figure.values().length];
        for (Figure figure : Figure.values()) {
            JsonNode value = members.get(figure.label());
            if (value == null) {
                throw new BaselineFormatException(file, node.line(), what + " has no \"" + figure.label() + "\"");
            }
            values[figure.ordinal()] = number(file, what + " " + figure.label(), value);
        }
        for (Map.Entry<String, JsonNode> member : members.entrySet()) {
            boolean known = member.getKey().equals("sampling") && samplingAllowed;
            for (Figure figure : Figure.values()) {
                known |= figure.label().equals(member.getKey());
            }
            if (!known) {
                throw new BaselineFormatException(file, member.getValue().line(), what + " has an unknown member \"" + member.getKey()
                        + "\"; expected peak, allocated, leaked" + (samplingAllowed ? ", sampling" : ""));
            }
        }
        return new FigureSet(values[Figure.PEAK.ordinal()], values[Figure.ALLOCATED.ordinal()], values[Figure.LEAKED.ordinal()]);
    }

    private static long number(Path file, String what, JsonNode node) throws BaselineFormatException {
        if (node.value() instanceof Long n && n >= 0) {
            return n;
        }
        throw new BaselineFormatException(file, node.line(), what + " is " + shown(node) + "; expected a whole number of bytes, 0 or more");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, JsonNode> object(Path file, JsonNode node, String what) throws BaselineFormatException {
        if (node.value() instanceof Map<?, ?> map) {
            return (Map<String, JsonNode>) map;
        }
        throw new BaselineFormatException(file, node.line(), what + " is " + shown(node) + "; expected an object {...}");
    }

    private static String shown(JsonNode node) {
        Object v = node.value();
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s).replaceAll("\\p{Cntrl}", "?") + "\"";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        return v.toString();
    }
}
