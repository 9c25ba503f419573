package dev.memtrack.internal.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

class OneTimeInitialisationTests {

    private static Site site(long live, String javaFrame) {
        return new Site(Domain.NATIVE, Origin.JNI_LIBRARY, live, 1, live, 1, live, 1, List.of(
                new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0),
                new Frame(Frame.Kind.JAVA, javaFrame, "", "A.java", 3)));
    }

    @Test
    void oneTimeInitialisationIsSetAsideFromTheLiveFigures() {
        Site clinit = site(100, "com.acme.Codec.<clinit>");
        Site cache = site(50, "com.acme.Cache.put");
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(300, 3, 0, 0, 150, 2, 300), List.of(clinit, cache));

        ScopeReport judged = OneTimeInitialisation.setAside(report);

        assertThat(judged.figures()).isEqualTo(new Figures(300, 3, 0, 0, 50, 1, 300));
        assertThat(judged.sites()).containsExactly(
                new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 100, 1, 0, 0, 100, 1, clinit.frames()), cache);
        assertThat(VerdictKind.LEAK.siteBytes(judged.sites().get(0))).isZero();
        assertThat(Measurement.ofNative(judged).total(VerdictKind.LEAK, DomainSelection.ANY).bytes()).isEqualTo(50);
    }

    @Test
    void aReportWithoutOneTimeInitialisationIsUnchanged() {
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(300, 3, 0, 0, 150, 2, 300),
                List.of(site(150, "com.acme.Cache.put")));

        assertThat(OneTimeInitialisation.setAside(report)).isSameAs(report);
    }

    @Test
    void classAndLibraryLoadingCountAsOneTime() {
        assertThat(OneTimeInitialisation.matches(site(1, "java.lang.System.loadLibrary"))).isTrue();
        assertThat(OneTimeInitialisation.matches(site(1, "java.lang.ClassLoader.defineClass1"))).isTrue();
        assertThat(OneTimeInitialisation.matches(site(1, "com.acme.Cache.load"))).isFalse();
    }
}
