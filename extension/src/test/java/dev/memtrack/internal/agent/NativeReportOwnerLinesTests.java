package dev.memtrack.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.memtrack.internal.model.HeldBlocks;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import org.junit.jupiter.api.Test;

/** The owner lines of the native owner check in a scope report (docs/native-report-format.md). */
class NativeReportOwnerLinesTests {

    private static final String HEADER = NativeTextFormat.header(NativeTextFormat.REPORT) + "\ntotals\t6000\t3\t0\t0\t6000\t3\t6000\n";
    private static final String FRAME = "frame\tA\tmalloc\tlibc.so.6\t\t0\n";

    @Test
    void aHeldSiteGetsItsOwnerLineAndThePathToIt() {
        ScopeReport report = NativeReportParser.parse(HEADER
                + "site\tjni\t1000\t1\t1000\t1\t1000\t1\n" + FRAME
                + "owner\theld\tcom.sun.jna.Memory (field peer)\t0\t0\t0\n"
                + "retained\tstatic com.acme.Store.KEPT\nretained\tjava.util.ArrayList.elementData\nretained\t[3]\nend\n");

        Site site = report.sites().get(0);
        assertThat(site.ownedBy()).isEqualTo("owned by: com.sun.jna.Memory (field peer)");
        assertThat(site.retainedBy()).containsExactly("static com.acme.Store.KEPT", "java.util.ArrayList.elementData", "[3]");
        assertThat(site.liveBytes()).isEqualTo(1000);
    }

    @Test
    void theHeldLineListsTheOwnedBlocksByScopeAndAddress() {
        ScopeReport report = NativeReportParser.parse(HEADER
                + "site\tjdk\t16\t2\t16\t2\t16\t2\n" + FRAME
                + "owner\theld\tjava.nio.DirectByteBuffer (field address)\t0\t0\t0\n"
                + "retained\tstatic com.acme.Pool.BUFFERS\n"
                + "held\t2\t7:7f40cc43fe88,12:ffffffffff600000\n"
                + "site\tjni\t1000\t70\t1000\t70\t1000\t70\n" + FRAME
                + "owner\theld\tcom.sun.jna.Memory (field peer)\t0\t0\t0\n"
                + "held\t70\t\nend\n");

        HeldBlocks listed = report.sites().get(0).held();
        assertThat(listed.count()).isEqualTo(2);
        assertThat(listed.scopeAndAddress()).containsExactly(7L, 0x7f40cc43fe88L, 12L, 0xffffffffff600000L);
        assertThat(listed.listed()).isTrue();
        HeldBlocks tooMany = report.sites().get(1).held();
        assertThat(tooMany.count()).isEqualTo(70);
        assertThat(tooMany.listed()).isFalse();
    }

    @Test
    void everyStateHasItsWording() {
        ScopeReport report = NativeReportParser.parse(HEADER
                + "site\tjni\t1000\t1\t1000\t1\t1000\t1\n" + FRAME + "owner\tnone\t\t0\t0\t0\n"
                + "site\tjni\t1000\t2\t1000\t2\t1000\t2\n" + FRAME + "owner\tnative\tjava.util.zip.Deflater$DeflaterZStreamRef (field address)\t2\t0\t0\n"
                + "site\tjdk\t1000\t1\t1000\t1\t1000\t1\n" + FRAME + "owner\tunreachable\tjava.nio.DirectByteBuffer (field address)\t0\t0\t0\n"
                + "site\tjni\t1000\t1\t1000\t1\t1000\t1\n" + FRAME + "owner\theld\torg.rocksdb.Options (field nativeHandle_)\t1\t0\t0\n"
                + "end\n");

        assertThat(report.sites()).extracting(Site::ownedBy).containsExactly(
                "no Java object holds its address",
                "owned by: java.util.zip.Deflater$DeflaterZStreamRef (field address) through native memory and 2 other owners",
                "owned by: java.nio.DirectByteBuffer (field address) (owner unreachable, cleaner pending)",
                "owned by: org.rocksdb.Options (field nativeHandle_) and 1 other owner");
    }

    @Test
    void blocksAJdkCacheOwnsAreNotLiveForTheVerdicts() {
        ScopeReport report = NativeReportParser.parse(HEADER
                + "site\tjdk\t5000\t2\t5000\t2\t5000\t2\n" + FRAME + "owner\tjdk\t\t0\t4000\t1\n"
                + "site\tjni\t1000\t1\t1000\t1\t1000\t1\n" + FRAME + "end\n");

        assertThat(report.sites().get(0).liveBytes()).isEqualTo(1000);
        assertThat(report.sites().get(0).liveCount()).isEqualTo(1);
        assertThat(report.sites().get(1).ownedBy()).as("no owner check ran for it").isEmpty();
        assertThat(report.figures().liveBytes()).isEqualTo(2000);
        assertThat(report.figures().liveCount()).isEqualTo(2);
    }

    @Test
    void anUnknownStateIsRefused() {
        assertThatThrownBy(() -> NativeReportParser.parse(HEADER + "site\tjni\t1\t1\t1\t1\t1\t1\n" + FRAME
                + "owner\tmaybe\t\t0\t0\t0\nend\n")).hasMessageContaining("Unknown owner state 'maybe'");
    }
}
