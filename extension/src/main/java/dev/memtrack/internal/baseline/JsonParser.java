package dev.memtrack.internal.baseline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) that keeps line numbers, for the baseline file: the
 * project has a JSON writer for reports but no reader, and the file is small and simple enough
 * not to justify a dependency. Errors are {@link BaselineFormatException}s naming file and line.
 */
final class JsonParser {

    private static final int MAX_DEPTH = 64;

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;

    private JsonParser(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    static JsonNode parse(Path file, String text) throws BaselineFormatException {
        JsonParser parser = new JsonParser(file, text);
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            parser.pos = 1; // a byte-order mark some editors write
        }
        JsonNode root = parser.value(0);
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected " + parser.found() + " after the end of the document");
        }
        return root;
    }

    private JsonNode value(int depth) throws BaselineFormatException {
        if (depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("unexpected end of file; expected a value");
        }
        int startLine = line;
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> new JsonNode(object(depth), startLine);
            case '[' -> new JsonNode(array(depth), startLine);
            case '"' -> new JsonNode(string(), startLine);
            case 't' -> new JsonNode(literal("true", Boolean.TRUE), startLine);
            case 'f' -> new JsonNode(literal("false", Boolean.FALSE), startLine);
            case 'n' -> new JsonNode(literal("null", null), startLine);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield new JsonNode(number(), startLine);
                }
                throw error("expected a value, found " + found());
            }
        };
    }

    private Map<String, JsonNode> object(int depth) throws BaselineFormatException {
        Map<String, JsonNode> members = new LinkedHashMap<>();
        pos++; // {
        skipWhitespace();
        if (peek() == '}') {
            pos++;
            return members;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes, found " + found());
            }
            int nameLine = line;
            String name = string();
            skipWhitespace();
            if (peek() != ':') {
                throw error("expected ':' after the member name \"" + printable(name) + "\", found " + found());
            }
            pos++;
            JsonNode value = value(depth + 1);
            if (members.put(name, value) != null) {
                line = nameLine;
                throw error("the member \"" + printable(name) + "\" appears twice in one object");
            }
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == '}') {
                return members;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or '}' after a member, found " + found());
            }
        }
    }

    private List<JsonNode> array(int depth) throws BaselineFormatException {
        List<JsonNode> elements = new ArrayList<>();
        pos++; // [
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            elements.add(value(depth + 1));
            skipWhitespace();
            char c = peek();
            pos++;
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                pos--;
                throw error("expected ',' or ']' after an element, found " + found());
            }
        }
    }

    private String string() throws BaselineFormatException {
        pos++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw error("unexpected end of file inside a string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\n' || c < 0x20) {
                pos--;
                throw error("a string must end on its line (control character or line break inside it)");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (pos >= text.length()) {
                throw error("unexpected end of file inside a string");
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("unexpected end of file inside a \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw error("'\\u" + printable(text.substring(pos, pos + 4)) + "' is not a \\u escape of four hex digits");
                    }
                    pos += 4;
                }
                default -> throw error("'\\" + printable(String.valueOf(e)) + "' is not a JSON escape");
            }
        }
    }

    private Object number() throws BaselineFormatException {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (pos < text.length() && "0123456789.eE+-".indexOf(text.charAt(pos)) >= 0) {
            pos++;
        }
        String number = text.substring(start, pos);
        if (!number.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            throw error("'" + printable(number) + "' is not a JSON number");
        }
        if (number.matches("-?\\d+")) {
            try {
                return Long.parseLong(number);
            } catch (NumberFormatException e) {
                throw error("'" + number + "' is too large; expected at most " + Long.MAX_VALUE);
            }
        }
        return Double.parseDouble(number);
    }

    private Object literal(String word, Object value) throws BaselineFormatException {
        if (!text.startsWith(word, pos)) {
            throw error("expected a value, found " + found());
        }
        pos += word.length();
        return value;
    }

    private void skipWhitespace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
            } else if (c != ' ' && c != '\t' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private char peek() {
        return pos < text.length() ? text.charAt(pos) : '\0';
    }

    /** What stands at the current position, for messages: {@code 'x'} or {@code the end of the file}. */
    private String found() {
        if (pos >= text.length()) {
            return "the end of the file";
        }
        int end = pos + 1;
        while (end < text.length() && end < pos + 12 && Character.isLetterOrDigit(text.charAt(end))
                && Character.isLetterOrDigit(text.charAt(pos))) {
            end++;
        }
        return "'" + printable(text.substring(pos, end)) + "'";
    }

    /** Keeps messages on one line whatever the file holds. */
    private static String printable(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.toString();
    }

    private BaselineFormatException error(String problem) {
        return new BaselineFormatException(file, line, problem);
    }
}
