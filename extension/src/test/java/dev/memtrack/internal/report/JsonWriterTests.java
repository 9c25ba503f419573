package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 8259 string escaping and structure of the one JSON encoder reports and results share. */
class JsonWriterTests {

    private static String quoted(String s) {
        return new JsonWriter().value(s).toString();
    }

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(quoted("say \"hi\" C:\\dir\\")).isEqualTo("\"say \\\"hi\\\" C:\\\\dir\\\\\"");
        assertThat(quoted("\\\"")).isEqualTo("\"\\\\\\\"\"");
    }

    @Test
    void everyControlCharacterIsEscapedAndDeleteIsNot() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        assertThat(quoted(controls.toString())).isEqualTo("\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                + "\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
                + "\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\"");
        assertThat(quoted("a\u007fb")).isEqualTo("\"a\u007fb\"");
    }

    @Test
    void charactersOutsideTheBmpStayWholeAndUnpairedSurrogatesAreEscaped() {
        String clef = new String(Character.toChars(0x1D11E)); // 𝄞, a surrogate pair in UTF-16
        assertThat(quoted("a" + clef + "b")).isEqualTo("\"a" + clef + "b\"");
        assertThat(quoted("ü€")).isEqualTo("\"ü€\"");
        assertThat(quoted("x\uD834")).isEqualTo("\"x\\ud834\"");
        assertThat(quoted("\uDD1Ey")).isEqualTo("\"\\udd1ey\"");
        assertThat(quoted("\uDD1E\uD834")).isEqualTo("\"\\udd1e\\ud834\""); // reversed pair: two unpaired halves
    }

    @Test
    void markupAndJavaScriptLineEndsAreEscapedSoTheTextIsSafeInAScriptElement() {
        assertThat(quoted("</script><!--&\u2028\u2029")).isEqualTo("\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\\u2029\"");
    }

    @Test
    void objectsArraysNumbersBooleansAndNullsAreSeparatedOnce() {
        String json = new JsonWriter().beginObject()
                .name("a").value(Long.MIN_VALUE)
                .name("b").beginArray().value(true).nullValue().valueOrNull(null).valueOrNull("x").beginObject().endObject().endArray()
                .name("").value("")
                .endObject().toString();

        assertThat(json).isEqualTo("{\"a\":-9223372036854775808,\"b\":[true,null,null,\"x\",{}],\"\":\"\"}");
    }
}
