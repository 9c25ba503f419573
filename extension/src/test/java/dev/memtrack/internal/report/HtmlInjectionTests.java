package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every string a report shows comes from the program under test: test class, method and display
 * names (a @DisplayName or a parameterized name is free text), frame symbols, library paths,
 * source file names, reference paths, failure messages. A crafted one must not inject markup or
 * script into the HTML report or the suite index, neither in the page nor in the JSON data
 * embedded in a script element (where a raw "</script>" would end the element).
 */
class HtmlInjectionTests {

    private static final String SCRIPT = "</script><script>alert(1)</script>";
    private static final String ATTRIBUTE = "\"'><img src=x onerror=alert(2)>";
    private static final String COMMENT = "<!--<script>alert(3)//";
    private static final String EVIL = SCRIPT + ATTRIBUTE + COMMENT + "&amp;\u2028";

    @Test
    void aCraftedNameInAnyStringOfACaptureStaysText() {
        String html = HtmlReport.render(craftedCapture()).replace(ReportAssets.FLAME_GRAPH_JS, "");  // third-party, fixed text

        assertOnlyOurMarkup(html);
        assertThat(scriptElements(html)).as("the error hook, the JSON data element, the d3-flame-graph bundle and the report script,"
                + " nothing else").hasSize(4);
        assertThat(scriptElements(html).get(1)).as("the embedded JSON").doesNotContain("<").doesNotContain(">")
                .contains("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)");
        assertThat(html).contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"); // shown, as text
    }

    @Test
    void aCraftedNameInTheSuiteIndexStaysText() {
        TestCapture capture = craftedCapture();
        String html = SuiteIndexPage.render(Path.of("/r"),
                List.of(SuiteEntry.of(Path.of("/r/" + "x" + ".mtcap"), capture)), List.of("problem " + EVIL));

        assertOnlyOurMarkup(html);
        assertThat(scriptElements(html)).hasSize(1);
    }

    private static void assertOnlyOurMarkup(String html) {
        assertThat(html).doesNotContain("<script>alert").doesNotContain("<img").doesNotContain("<!--")
                .doesNotContain("'>").doesNotContain("\">\"");
    }

    private static List<String> scriptElements(String html) {
        Matcher m = Pattern.compile("<script[^>]*>(.*?)</script>", Pattern.DOTALL).matcher(html);
        return m.results().map(r -> r.group(1)).toList();
    }

    private static TestCapture craftedCapture() {
        Frame frame = new Frame(Frame.Kind.NATIVE, "sym" + EVIL, "/tmp/lib" + EVIL + ".so", "file" + EVIL + ".c", 7);
        Frame java = new Frame(Frame.Kind.JAVA, "com.acme.T" + EVIL + ".m", "", "T" + EVIL + ".java", 3);
        Site nativeSite = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 4242, 1, 4242, 1, 4242, 1, List.of(frame, java));
        Site managed = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 2048, 2, 2048, 2, 2048, 2, List.of(java),
                List.of("static com.acme.T" + EVIL + ".F", "byte[1024]"));
        return new TestCapture("[engine:junit-jupiter]/[class:com.acme.T" + EVIL + "]/[method:m()]", "com.acme.T" + EVIL,
                "m" + EVIL, "display " + EVIL, 1_700_000_000_000L, 1_000_000L,
                List.of(new ScopeReport(Domain.NATIVE, new Figures(4242, 1, 0, 0, 4242, 1, 4242), List.of(nativeSite)),
                        new ScopeReport(Domain.MANAGED, new Figures(2048, 2, 0, 0, 2048, 2, 2048), List.of(managed))),
                List.of(new TimelinePoint(0, 0, 0), new TimelinePoint(3, 4242, 2048)),
                List.of("Test leaked " + EVIL));
    }
}
