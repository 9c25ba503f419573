package dev.memtrack.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

class JudgedFiguresTests {

    private static Site site(long live, String javaFrame) {
        return new Site(Domain.NATIVE, Origin.JNI_LIBRARY, live, 1, live, 1, live, 1, List.of(
                new Frame(Frame.Kind.ALLOCATOR, "malloc", "libc.so.6", "", 0),
                new Frame(Frame.Kind.JAVA, javaFrame, "", "A.java", 3)));
    }

    @Test
    void oneTimeInitialisationIsNotCountedAsLeaked() {
        ScopeReport report = new ScopeReport(Domain.NATIVE, new Figures(300, 3, 0, 0, 150, 2, 300),
                List.of(site(100, "com.acme.Codec.<clinit>"), site(50, "com.acme.Cache.put")));

        assertThat(JudgedFigures.of(report)).isEqualTo(new Figures(300, 3, 0, 0, 50, 1, 300));
    }

    @Test
    void figuresWithoutOneTimeInitialisationAreUnchanged() {
        Figures figures = new Figures(300, 3, 0, 0, 150, 2, 300);
        ScopeReport report = new ScopeReport(Domain.NATIVE, figures, List.of(site(150, "com.acme.Cache.put")));

        assertThat(JudgedFigures.of(report)).isSameAs(figures);
    }
}
