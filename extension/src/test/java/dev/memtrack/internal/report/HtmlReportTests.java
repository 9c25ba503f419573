package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTests {

    @Test
    void showsTheVerdictFiguresAndSites() {
        String html = HtmlReport.render(CaptureFixtures.leakingTest());

        assertThat(html)
                .contains("<header class=\"verdict failed\">")
                .contains("failed: 1 memory verdict")
                .contains("<pre class=\"failure\">Test leaked 3.2 MiB of native memory in 1 allocation (allowed: 0 B)</pre>")
                .contains("<code>com.acme.StoreTest#writesKeys</code>")
                .contains("<td class=\"leak\">3.2 MiB</td>")
                .contains("<td>8.0 MiB</td>")
                .contains("<td>4.0 MiB</td>")
                .contains("<summary><code>Java_com_sun_jna_Native_malloc [libjnidispatch.so]</code> <span class=\"via\">&larr;</span> "
                        + "<code>com.acme.StoreTest.writesKeys(StoreTest.java:27)</code></summary>")
                .contains("<li class=\"k-native boundary\"><code>Java_com_sun_jna_Native_malloc [libjnidispatch.so]</code></li>")
                .contains("<code>com.sun.jna.Native.malloc(Native Method)</code>")
                .contains("<code>com.acme.StoreTest.writesKeys(StoreTest.java:27)</code>")
                .contains("<div class=\"flame\" data-weight=\"peak\">", "data-weight=\"leaks\"", "data-weight=\"all\"")
                .contains("id=\"timeline-chart\"");
    }

    @Test
    void aSiteRowNamesItsFirstNamedNativeFrameAndItsFirstFrameOutsideTheJdk() {
        Site stripped = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 100, 1, 0, 0, 100, 1, List.of(
                CaptureFixtures.MALLOC,
                new Frame(Frame.Kind.NATIVE, "0x47ea2", "libsqlitejdbc.so", "", 0),
                new Frame(Frame.Kind.NATIVE, "0x3c010", "libsqlitejdbc.so", "", 0),
                new Frame(Frame.Kind.NATIVE, "Java_org_sqlite_core_NativeDB_prepare_1utf8", "libsqlitejdbc.so", "", 0),
                new Frame(Frame.Kind.JAVA, "org.sqlite.core.NativeDB.prepare_utf8", "", "", Frame.NATIVE_METHOD_LINE),
                CaptureFixtures.TEST_METHOD));
        Site managed = new Site(Domain.MANAGED, Origin.JAVA_HEAP, 100, 1, 0, 0, 100, 1,
                List.of(CaptureFixtures.ARRAYS_COPY, CaptureFixtures.TEST_METHOD));

        assertThat(SitesSection.summary(stripped)).isEqualTo("<code>Java_org_sqlite_core_NativeDB_prepare_1utf8 [libsqlitejdbc.so]</code>"
                + " <span class=\"via\">&larr;</span> <code>org.sqlite.core.NativeDB.prepare_utf8(Native Method)</code>");
        assertThat(SitesSection.summary(managed)).isEqualTo("<code>com.acme.StoreTest.writesKeys(StoreTest.java:27)</code>");
    }

    @Test
    void aManagedLeakShowsThePathFromItsGcRoot() {
        String html = HtmlReport.render(CaptureFixtures.managedLeak());

        assertThat(html).contains("<p class=\"retained\">Retained by:</p><ol class=\"path\">"
                + "<li><code>static com.acme.Cache.ENTRIES</code></li><li><code>java.util.HashMap.table</code></li>"
                + "<li><code>java.util.HashMap$Node[]</code></li><li><code>java.util.HashMap$Node.value</code></li>"
                + "<li><code>byte[1000]</code></li></ol>");
        assertThat(html.split("class=\"retained\"", -1)).as("only the leaked site has a path").hasSize(2);
    }

    @Test
    void aNativeLeakShowsItsOwnerAndThePathToIt() {
        String html = HtmlReport.render(CaptureFixtures.ownedNativeLeak());

        assertThat(html).contains("<p class=\"owner\">Owned by: com.sun.jna.Memory (field peer)</p>"
                + "<p class=\"retained\">Retained by:</p><ol class=\"path\"><li><code>static com.acme.StoreTest.KEPT</code></li>"
                + "<li><code>java.util.ArrayList.elementData</code></li><li><code>[0]</code></li></ol>");
        assertThat(html).contains("<p class=\"owner\">No Java object holds its address</p>");
        assertThat(embeddedJson(html)).contains("[0,1,2,3,4],\"owned by: com.sun.jna.Memory (field peer)\","
                + "[\"static com.acme.StoreTest.KEPT\",\"java.util.ArrayList.elementData\",\"[0]\"]]");
    }

    @Test
    void statesTheCombinedPeakWhenBothDomainsWereMeasured() {
        TestCapture c = CaptureFixtures.leakingTest(); // native peak 3.2 MiB, managed peak 4.0 MiB
        TestCapture withCombinedPeak = new TestCapture(c.testId(), c.testClass(), c.testMethod(), c.displayName(), c.startEpochMillis(),
                c.durationNanos(), c.reports(), c.timeline(), c.failures(), 5L << 20);

        assertThat(HtmlReport.render(withCombinedPeak)).contains("<p class=\"hint\">Combined peak (native + managed at one instant): 5.0 MiB</p>");
        assertThat(HtmlReport.render(c)).contains("<p class=\"hint\">Combined peak (native + managed at one instant): 7.2 MiB"
                + " at most (the sum of the two peaks)</p>");
    }

    @Test
    void aPassingTestSaysPassed() {
        String html = HtmlReport.render(CaptureFixtures.test("a.B", "m", 0, 0, 0));

        assertThat(html).contains("<header class=\"verdict passed\">", "<p class=\"status\">passed</p>")
                .doesNotContain("class=\"failure\"");
    }

    @Test
    void embedsTheDataAsJsonWithFrameTableSitesAndTimeline() {
        String json = embeddedJson(HtmlReport.render(CaptureFixtures.leakingTest()));

        assertThat(json).startsWith("{\"frames\":[[\"A\",\"malloc\",\"libc.so.6\",\"\",0],"
                        + "[\"N\",\"Java_com_sun_jna_Native_malloc\",\"libjnidispatch.so\",\"\",0],"
                        + "[\"J\",\"com.sun.jna.Native.malloc\",\"\",\"Native.java\",-2],")
                .contains("\"sites\":[[\"native\",3333333,1,3333333,1,3333333,1,[0,1,2,3,4],\"\",[]],"
                        + "[\"managed\",8388608,64,4194304,32,0,0,[5,4],\"\",[]]]")
                // the peak the figures state (native + managed peaks: no combined peak was recorded), marked on the timeline
                // each point with the highest total since the one before (the fixture's last point reached 5 MiB)
                .endsWith("\"peak\":7527637,\"timeline\":[[0,0,0,0],[5,3333333,4194304,7527637],[9,3333333,1024,5242880]]}");
    }

    @Test
    void isSelfContained() {
        String page = HtmlReport.render(CaptureFixtures.leakingTest());
        // the inlined d3-flame-graph bundle names XML namespaces (http://www.w3.org/2000/svg ...), no address to fetch
        assertThat(page).contains(ReportAssets.FLAME_GRAPH_JS).doesNotContainPattern("https?://(?!www\\.w3\\.org/)");
        String html = page.replace(ReportAssets.FLAME_GRAPH_JS, "");

        assertThat(html).containsPattern("<style>[^<]+</style>")
                .contains("Content-Security-Policy\" content=\"default-src 'none';")
                .doesNotContainPattern("(?i)(src|href)\\s*=\\s*[\"']?\\s*(https?:)?//")
                .doesNotContainPattern("(?i)<link\\b")
                .doesNotContainPattern("(?i)<script[^>]*\\bsrc\\s*=")
                .doesNotContain("http://", "https://")
                .doesNotContainPattern("(?i)@import|url\\(");
    }

    @Test
    void dataCannotCloseTheScriptOrInjectMarkup() {
        Frame hostile = new Frame(Frame.Kind.NATIVE, "</script><script>alert(1)</script><!--", "lib<b>.so", "\u2028", 1);
        TestCapture capture = new TestCapture("</SCRIPT>", "a.</script>B", "m<img src=x>", "</title><h1>x</h1>", 0, 0,
                List.of(new ScopeReport(Domain.NATIVE, Figures.ZERO,
                        List.of(new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 1, 1, 1, 1, 1, 1, List.of(hostile))))),
                List.of(), List.of("leaked </script> & <b>more</b>"));

        String html = HtmlReport.render(capture);

        // the error hook, the JSON data, the d3-flame-graph bundle and the report script
        assertThat(count(html.toLowerCase(), "</script")).isEqualTo(4);
        assertThat(count(html.toLowerCase(), "<script")).isEqualTo(4);
        assertThat(html).doesNotContain("<img", "<b>", "<h1>x", "<!--")
                .contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--")
                .contains("leaked &lt;/script&gt; &amp; &lt;b&gt;more&lt;/b&gt;")
                .contains("<title>memtrack: &lt;/script&gt;B.m&lt;img src=x&gt;</title>");
        assertThat(embeddedJson(html)).contains("\"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e\\u003c!--\"")
                .contains("\"\\u2028\"")
                .doesNotContain("\u2028");
    }

    @Test
    void framesBelowTheTestMethodAreLeftOutOfTheReportButKeptInTheCapture() throws IOException {
        Frame engine = new Frame(Frame.Kind.JAVA, "org.junit.platform.engine.Engine.execute", "", "Engine.java", 5);
        Frame lambda = new Frame(Frame.Kind.JAVA, "com.acme.StoreTest$$Lambda.run", "", "", 0);
        Frame thread = new Frame(Frame.Kind.JAVA, "java.lang.Thread.run", "", "Thread.java", 840);
        Site viaTest = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 1, 1, 0, 0, 0, 0,
                List.of(CaptureFixtures.MALLOC, lambda, CaptureFixtures.TEST_METHOD, engine));
        Site inAThread = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 1, 1, 0, 0, 0, 0, List.of(CaptureFixtures.MALLOC, thread));
        TestCapture capture = new TestCapture("id", "com.acme.StoreTest", "m", "m()", 0, 0,
                List.of(new ScopeReport(Domain.NATIVE, Figures.ZERO, List.of(viaTest, inAThread))), List.of(), List.of());

        String html = HtmlReport.render(capture);

        assertThat(html).doesNotContain("org.junit.platform.engine.Engine")
                .contains("<li class=\"omitted\">... 1 more frame below the test method</li>")
                .contains("java.lang.Thread.run(Thread.java:840)");
        assertThat(embeddedJson(html)).contains("[\"native\",1,1,0,0,0,0,[0,1,2],\"\",[]],[\"native\",1,1,0,0,0,0,[0,3],\"\",[]]");
        assertThat(CaptureRoundTripTests.roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void rendersEmptyCapturesWithoutFailing() {
        String html = HtmlReport.render(new TestCapture("", "", "", "", 0, 0, List.of(), List.of(), List.of()));

        assertThat(html).contains("No domain was measured.", "No allocation site was recorded.")
                .contains("\"frames\":[],\"sites\":[],\"peak\":0,\"timeline\":[]");
    }

    @Test
    void bigSiteListsShowTheLargestAndSayHowManyAreLeftOut() {
        String html = HtmlReport.render(CaptureFixtures.manySites(1_000, 1));

        assertThat(count(html, "<details>")).isEqualTo(SitesSection.SHOWN_PER_FIGURE);
        assertThat(html).contains("...and 900 more sites (878.9 KiB allocated); the flame graphs include them.");
    }

    @Test
    void writesTheSameHtmlFromACaptureReadBack(@TempDir Path dir) throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        CaptureFiles files = CaptureWriter.write(capture, dir);
        Path again = dir.resolve("again.html");

        HtmlReport.write(CaptureReader.read(files.capture()), again);

        assertThat(again).hasSameTextualContentAs(files.html());
    }

    private static String embeddedJson(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"memtrack-data\">(.*?)</script>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
