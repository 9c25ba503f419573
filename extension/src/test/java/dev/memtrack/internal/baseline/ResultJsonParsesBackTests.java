package dev.memtrack.internal.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.report.ResultJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The results JSON read back by a parser of its own (the baseline file's): strings with quotes,
 * backslashes, every control character, markup and characters outside the BMP come back as
 * they went in.
 */
class ResultJsonParsesBackTests {

    @Test
    @SuppressWarnings("unchecked")
    void trickyStringsSurviveTheRoundTrip() throws BaselineFormatException {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String tricky = "q\"b\\s/" + controls + "\u007f</script>&\u2028ü" + new String(Character.toChars(0x1F600));
        Frame frame = new Frame(Frame.Kind.NATIVE, "ns::f<" + tricky + ">", "lib" + tricky + ".so", "", 0);
        Site site = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, Long.MAX_VALUE, 1, 0, 0, 1, 1, List.of(frame));
        TestCapture capture = new TestCapture("id " + tricky, "a.B", "m" + tricky, tricky, -1, 0,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(Long.MAX_VALUE, 1, 0, 0, 0, 0, 1), List.of(site))),
                List.of(), List.of(tricky), -1, "run " + tricky);

        Map<String, JsonNode> json = object(JsonParser.parse(Path.of("results.json"), ResultJson.test(capture)));

        Map<String, JsonNode> test = object(json.get("test"));
        assertThat(test.get("id").value()).isEqualTo("id " + tricky);
        assertThat(test.get("method").value()).isEqualTo("m" + tricky);
        assertThat(test.get("runId").value()).isEqualTo("run " + tricky);
        assertThat(test.get("startEpochMillis").value()).isEqualTo(-1L);
        assertThat(((List<?>) json.get("failures").value())).extracting(n -> ((JsonNode) n).value()).containsExactly(tricky);
        Map<String, JsonNode> parsedSite = object(((List<JsonNode>) json.get("sites").value()).get(0));
        assertThat(parsedSite.get("allocated").value()).isEqualTo(Long.MAX_VALUE);
        Map<String, JsonNode> nativeFrame = object(parsedSite.get("firstNativeFrame"));
        assertThat(nativeFrame.get("symbol").value()).isEqualTo("ns::f<" + tricky + ">");
        assertThat(nativeFrame.get("library").value()).isEqualTo("lib" + tricky + ".so");
        assertThat(parsedSite.get("firstUserFrame").value()).isNull();
        assertThat(((List<JsonNode>) parsedSite.get("stack").value())).extracting(JsonNode::value).containsExactly(0L);
        assertThat(object(((List<JsonNode>) json.get("frames").value()).get(0)).get("symbol").value()).isEqualTo("ns::f<" + tricky + ">");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, JsonNode> object(JsonNode node) {
        return (Map<String, JsonNode>) node.value();
    }
}
