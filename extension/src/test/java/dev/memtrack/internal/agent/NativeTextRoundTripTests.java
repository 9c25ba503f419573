package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The texts crossing from the C writer (native/src/report_text.c) to the Java readers, taken from
 * the loaded agent rather than written by hand: the header is checked exactly on both sides, and a
 * lambda's hidden class prints the same in a stack frame and in a "retained by" path (one decoder
 * of class names in the agent).
 */
class NativeTextRoundTripTests {

    static final List<Object> KEPT = new ArrayList<>();

    @AfterEach
    void clear() {
        KEPT.clear();
    }

    @Test
    void theAgentsNativeReportParsesWithItsExactHeader() {
        MemtrackLibrary lib = NativeAgentLoader.library();
        assertThat(lib).as(NativeTracker.instance().unavailableReason()).isNotNull();
        long scope = lib.memtrack_scope_begin();
        long previous = lib.memtrack_thread_attach(scope);
        Memory block = new Memory(12_347);
        lib.memtrack_thread_attach(previous);
        lib.memtrack_scope_end(scope);
        Pointer text = lib.memtrack_scope_report(scope);
        try {
            assertThat(text).isNotNull();
            String report = text.getString(0, "UTF-8");
            assertThat(report.substring(0, report.indexOf('\n'))).isEqualTo(NativeTextFormat.header(NativeTextFormat.REPORT));
            ScopeReport parsed = NativeReportParser.parse(report);
            Site site = parsed.sites().stream().filter(s -> s.allocatedBytes() == 12_347).findFirst()
                    .orElseThrow(() -> new AssertionError(report));
            assertThat(site.liveBytes()).isEqualTo(12_347);
            assertThat(site.frames()).extracting(Frame::symbol)
                    .contains(NativeTextRoundTripTests.class.getName() + ".theAgentsNativeReportParsesWithItsExactHeader");
        } finally {
            lib.memtrack_free(text);
            lib.memtrack_scope_release(scope);
            block.close();
        }
    }

    @Test
    void aHeaderOfAnotherVersionIsRefused() {
        assertThatThrownBy(() -> NativeReportParser.parse("memtrack-report\t10\nend\n"))
                .hasMessageContaining("'memtrack-report\\t10'").hasMessageContaining("reads 'memtrack-report\\t5'");
        assertThatThrownBy(() -> NativeReportParser.parse("memtrack-report\t1x\nend\n")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HeapWalkerParser.parse("memtrack-heap-leaks\t1\nend\n", false, 64))
                .hasMessageContaining("'memtrack-heap-leaks\\t1'");
    }

    @Test
    void aLambdaPrintsTheSameInAStackFrameAndInARetainedByPath() {
        try (ManagedScope scope = ManagedScope.begin()) {
            List<byte[]> filled = new ArrayList<>();
            Runnable fill = () -> {
                for (int i = 0; i < 4000; i++) {
                    filled.add(new byte[1000]);
                }
            };
            fill.run();
            KEPT.add(fill);
            scope.endAndSettle();
            ManagedTracker.LeakCheck check = scope.managed.checkLeaks(scope.id, this, Thread.currentThread(), false);
            String lambdaClass = fill.getClass().getName();
            assertThat(lambdaClass).contains("$$Lambda").contains("/");
            Site arrays = check.leaks().sites().stream()
                    .filter(s -> s.frames().stream().anyMatch(f -> f.symbol().equals(lambdaClass + ".run")))
                    .findFirst().orElseThrow(() -> new AssertionError(lambdaClass + "\n" + ManagedLeakTests.describe(check)));
            assertThat(String.join(" -> ", arrays.retainedBy())).contains("-> " + lambdaClass + ".arg$1 ->");
        }
    }
}
