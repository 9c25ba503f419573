package dev.memtrack.internal.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer (RFC 8259) for the data embedded in reports and the JSON
 * results (docs/reports.md). Strings escape what RFC 8259 requires ({@code "}, {@code \\} and
 * U+0000–U+001F) and, so the output is also safe inside an HTML {@code <script>} element,
 * {@code <}, {@code >} and {@code &} as {@code \}{@code u003c}-style escapes (neither
 * {@code </script>} nor {@code <!--} can appear whatever a symbol or message contains);
 * U+2028/U+2029 are escaped because older JavaScript engines treat them as line ends. Characters
 * outside the BMP stay as they are (a surrogate pair, one code point in UTF-8); an unpaired
 * surrogate, which UTF-8 cannot carry, is written as its {@code \}{@code uD800}-style escape so
 * nothing is lost or replaced.
 */
final class JsonWriter {

    private final StringBuilder out = new StringBuilder(4096);
    /** Per open container: whether the next element needs a comma before it. */
    private final Deque<Boolean> needsComma = new ArrayDeque<>();
    private boolean afterName;

    JsonWriter beginArray() {
        separate();
        out.append('[');
        needsComma.push(false);
        return this;
    }

    JsonWriter endArray() {
        needsComma.pop();
        out.append(']');
        return this;
    }

    JsonWriter beginObject() {
        separate();
        out.append('{');
        needsComma.push(false);
        return this;
    }

    JsonWriter endObject() {
        needsComma.pop();
        out.append('}');
        return this;
    }

    JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        quote(value == null ? "" : value);
        return this;
    }

    /** JavaScript numbers are doubles: values beyond 2^53 lose precision, fine for display. */
    JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** A string, or {@code null} when absent. */
    JsonWriter valueOrNull(String value) {
        return value == null ? nullValue() : value(value);
    }

    JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (!needsComma.isEmpty()) {
            if (needsComma.pop()) {
                out.append(',');
            }
            needsComma.push(true);
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<', '>', '&', '\u2028', '\u2029' -> unicode(c);
                default -> {
                    if (c < 0x20 || unpairedSurrogate(s, i)) {
                        unicode(c);
                    } else if (Character.isHighSurrogate(c)) {
                        out.append(c).append(s.charAt(++i)); // a pair: one code point, kept whole
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean unpairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
        }
        return Character.isLowSurrogate(c); // a low surrogate not consumed with its high one
    }

    private void unicode(char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
