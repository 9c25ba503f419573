package dev.memtrack.internal.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer for the data embedded in reports. Strings are escaped so the
 * output is safe inside an HTML {@code <script>} element: {@code <}, {@code >} and {@code &}
 * become {@code \}{@code u003c}-style escapes, so neither {@code </script>} nor {@code <!--} can
 * appear in it whatever a symbol or message contains; U+2028/U+2029 are escaped because older
 * JavaScript engines treat them as line ends.
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
                    if (c < 0x20) {
                        unicode(c);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void unicode(char c) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }
}
