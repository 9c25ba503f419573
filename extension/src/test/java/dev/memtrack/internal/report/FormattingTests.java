package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FormattingTests {

    @Test
    void countsAreGroupedTheSameInEveryLocale() {
        assertThat(CountText.format(0)).isEqualTo("0");
        assertThat(CountText.format(1_234_567)).isEqualTo("1,234,567");
    }

    @Test
    void jsonEscapesQuotesControlsAndMarkup() {
        String json = new JsonWriter().beginObject().name("a\"b").beginArray()
                .value("x\\y\n\t\u0001").value("</script>&").value(-3).value(true).beginArray().endArray()
                .endArray().name("n").value("\u2029").endObject().toString();

        assertThat(json).isEqualTo("{\"a\\\"b\":[\"x\\\\y\\n\\t\\u0001\",\"\\u003c/script\\u003e\\u0026\",-3,true,[]],\"n\":\"\\u2029\"}");
    }

    @Test
    void htmlEscapesMarkupAndQuotes() {
        assertThat(HtmlText.escape("<a href=\"x\">'&'</a>")).isEqualTo("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
        assertThat(HtmlText.escape(null)).isEmpty();
    }

    @Test
    void framesReadLikeStackTraces() {
        assertThat(FrameText.format(CaptureFixtures.TEST_METHOD)).isEqualTo("com.acme.StoreTest.writesKeys(StoreTest.java:27)");
        assertThat(FrameText.format(CaptureFixtures.NATIVE_METHOD)).isEqualTo("com.sun.jna.Native.malloc(Native Method)");
        assertThat(FrameText.format(new dev.memtrack.internal.model.Frame(dev.memtrack.internal.model.Frame.Kind.JAVA, "a.B.c", "", "", 0)))
                .isEqualTo("a.B.c(Unknown Source)");
        assertThat(FrameText.format(CaptureFixtures.MALLOC)).isEqualTo("malloc [libc.so.6]");
        assertThat(FrameText.format(new dev.memtrack.internal.model.Frame(dev.memtrack.internal.model.Frame.Kind.NATIVE,
                "rocksdb::Options::Options()", "librocksdbjni.so", "options.cc", 118)))
                .isEqualTo("rocksdb::Options::Options() [librocksdbjni.so] options.cc:118");
    }
}
