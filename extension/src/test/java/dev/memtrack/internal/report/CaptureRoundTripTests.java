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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureRoundTripTests {

    @Test
    void aTypicalCaptureReadsBackEqual() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();

        assertThat(roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void referencePathsOfManagedLeaksReadBackOnTheirSites() throws IOException {
        TestCapture capture = CaptureFixtures.managedLeak();

        TestCapture read = roundTrip(capture);

        assertThat(read).isEqualTo(capture);
        assertThat(read.reports().get(1).sites().get(1).retainedBy())
                .startsWith("static com.acme.Cache.ENTRIES").endsWith("byte[1000]").hasSize(5);
        assertThat(read.reports().get(1).sites().get(0).retainedBy()).isEmpty();
    }

    @Test
    void aCaptureWithoutReferencePathsHasNoRetainedSection() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        TestCapture withPath = CaptureFixtures.managedLeak();

        // the section is optional: captures without paths are byte for byte what earlier writers wrote
        assertThat(sectionTags(encode(capture))).doesNotContain(CaptureFormat.RETAINED);
        assertThat(sectionTags(encode(withPath))).endsWith(CaptureFormat.FAILURES, CaptureFormat.RETAINED);
    }

    @Test
    void ownersOfNativeLeaksReadBackOnTheirSitesWithTheirPaths() throws IOException {
        TestCapture capture = CaptureFixtures.ownedNativeLeak();

        TestCapture read = roundTrip(capture);

        assertThat(read).isEqualTo(capture);
        assertThat(read.reports().get(0).sites().get(0).ownedBy()).isEqualTo("owned by: com.sun.jna.Memory (field peer)");
        assertThat(read.reports().get(0).sites().get(0).retainedBy()).containsExactly("static com.acme.StoreTest.KEPT",
                "java.util.ArrayList.elementData", "[0]");
        assertThat(read.reports().get(0).sites().get(1).ownedBy()).isEqualTo(Site.NO_OWNER);
        assertThat(sectionTags(encode(capture))).endsWith(CaptureFormat.FAILURES, CaptureFormat.RETAINED, CaptureFormat.OWNERS);
        assertThat(sectionTags(encode(CaptureFixtures.leakingTest()))).doesNotContain(CaptureFormat.OWNERS);
    }

    @Test
    void aVersion1CaptureStillReads() throws IOException {
        TestCapture capture = CaptureFixtures.leakingTest();
        byte[] file = encode(capture);
        file[CaptureFormat.MAGIC.length] = 1; // version 1 is version 2 without the owners section

        assertThat(CaptureReader.read(new ByteArrayInputStream(file), "version 1")).isEqualTo(capture);
    }

    @Test
    void theCombinedPeakReadsBackAndAnOlderCaptureWithoutItReadsAsUnknown() throws IOException {
        TestCapture c = CaptureFixtures.managedLeak();
        TestCapture withPeak = new TestCapture(c.testId(), c.testClass(), c.testMethod(), c.displayName(), c.startEpochMillis(),
                c.durationNanos(), c.reports(), c.timeline(), c.failures(), 3_000_000);

        assertThat(roundTrip(withPeak).combinedPeakBytes()).isEqualTo(3_000_000);
        assertThat(roundTrip(withPeak).peakBytes()).isEqualTo(3_000_000);
        // a capture written before the field existed: the figures section ends after the domains
        TestCapture older = CaptureReader.read(new ByteArrayInputStream(withoutTrailingField(encode(c))), "older");
        assertThat(older.combinedPeakBytes()).isEqualTo(-1);
        assertThat(older.peakBytes()).isEqualTo(2_048_000); // native 0 + managed 2_048_000
    }

    @Test
    void eachTimelinePointsIntervalPeakReadsBackAndAnOlderCaptureWithoutItReadsTheTotals() throws IOException {
        TestCapture c = CaptureFixtures.leakingTest();
        assertThat(c.timeline()).extracting(TimelinePoint::peakBytes).containsExactly(0L, 7_527_637L, 5_242_880L);

        assertThat(roundTrip(c).timeline()).isEqualTo(c.timeline());
        // a capture written before the field existed: the timeline section ends after the samples
        TestCapture older = CaptureReader.read(new ByteArrayInputStream(withoutTimelinePeaks(encode(c))), "older");
        assertThat(older.timeline()).extracting(TimelinePoint::peakBytes).containsExactly(0L, 7_527_637L, 3_334_357L);
    }

    @Test
    void unicodeInEveryStringSurvives() throws IOException {
        Frame frame = new Frame(Frame.Kind.JAVA, "com.ünïcode.Тест.日本語メソッド", "", "Тест.java", 7);
        Frame nativeFrame = new Frame(Frame.Kind.NATIVE, "ns::größe<😀>()", "libçà.so", "fïle.cc", 3);
        Site site = new Site(Domain.NATIVE, Origin.JNI_LIBRARY, 1, 1, 1, 1, 1, 1, List.of(nativeFrame, frame));
        TestCapture capture = new TestCapture("[engine:junit-jupiter]/[method:日本語()]", "com.ünïcode.Тест", "日本語メソッド",
                "🧪 größe \"quoted\" <b>bold</b>", -5, 0,
                List.of(new ScopeReport(Domain.NATIVE, Figures.ZERO, List.of(site))), List.of(),
                List.of("Über 😀 line one\nline two\ttab \u0000 nul", ""));

        assertThat(roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void captureWithoutSitesTimelineOrFailuresReadsBackEqual() throws IOException {
        TestCapture empty = new TestCapture("", "", "", "", 0, 0, List.of(), List.of(), List.of());
        TestCapture noSites = new TestCapture("id", "a.B", "m", "m()", 1, 2,
                List.of(ScopeReport.empty(Domain.NATIVE), ScopeReport.empty(Domain.MANAGED)), List.of(), List.of());

        assertThat(roundTrip(empty)).isEqualTo(empty);
        assertThat(roundTrip(noSites)).isEqualTo(noSites);
    }

    @Test
    void manySitesReadBackEqualInOrder() throws IOException {
        TestCapture capture = CaptureFixtures.manySites(5_000, 3);

        TestCapture read = roundTrip(capture);

        assertThat(read).isEqualTo(capture);
        assertThat(read.reports().get(0).sites()).hasSize(5_000);
    }

    @Test
    void extremeFiguresAndLinesReadBackExactly() throws IOException {
        Figures huge = new Figures(Long.MAX_VALUE, Long.MAX_VALUE - 1, Long.MIN_VALUE, -1, 1L << 62, 127, 128);
        Frame line = new Frame(Frame.Kind.JAVA, "a.B.c", "", "B.java", Integer.MIN_VALUE);
        Frame line2 = new Frame(Frame.Kind.NATIVE, "f", "lib.so", "f.c", Integer.MAX_VALUE);
        Site site = new Site(Domain.MANAGED, Origin.JVM_INTERNAL, Long.MAX_VALUE, -1, Long.MIN_VALUE, 0, 1L << 35, 1L << 56,
                List.of(line2, line));
        TestCapture capture = new TestCapture("id", "a.B", "c", "c()", Long.MIN_VALUE, Long.MAX_VALUE,
                List.of(new ScopeReport(Domain.MANAGED, huge, List.of(site))),
                List.of(new TimelinePoint(0, Long.MAX_VALUE, 0), new TimelinePoint(Long.MAX_VALUE, Long.MIN_VALUE, -7),
                        new TimelinePoint(3, 0, Long.MAX_VALUE)),
                List.of());

        assertThat(roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void everyOriginDomainAndFrameKindHasACode() throws IOException {
        List<Site> sites = new ArrayList<>();
        for (Origin origin : Origin.values()) {
            for (Domain domain : Domain.values()) {
                List<Frame> frames = new ArrayList<>();
                for (Frame.Kind kind : Frame.Kind.values()) {
                    frames.add(new Frame(kind, kind + "-" + origin, "lib", "", 1));
                }
                sites.add(new Site(domain, origin, 1, 1, 0, 0, 1, 1, frames));
            }
        }
        TestCapture capture = new TestCapture("id", "a.B", "c", "c()", 0, 0,
                List.of(new ScopeReport(Domain.NATIVE, Figures.ZERO, sites)), List.of(), List.of());

        assertThat(roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void sizeGrowsWithDistinctStacksNotWithAllocations() throws IOException {
        int fewAllocations = encode(CaptureFixtures.manySites(100, 1)).length;
        int billionsOfAllocations = encode(CaptureFixtures.manySites(100, 3_000_000_000L)).length;
        int tenTimesTheStacks = encode(CaptureFixtures.manySites(1_000, 1)).length;

        // Counts are varints: a billion allocations costs a few bytes per site, not per event.
        assertThat(billionsOfAllocations).isLessThan(fewAllocations + 100 * 10);
        assertThat(tenTimesTheStacks).isGreaterThan(fewAllocations * 3);
    }

    @Test
    void sharedFramesAreStoredOnce() throws IOException {
        Frame shared = new Frame(Frame.Kind.JAVA, "com.acme.a.very.long.package.name.ThatIsRepeated.everywhere" + "x".repeat(200),
                "", "ThatIsRepeated.java", 1);
        List<Site> sites = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sites.add(new Site(Domain.MANAGED, Origin.JAVA_HEAP, i, 1, 0, 0, 0, 0,
                    List.of(new Frame(Frame.Kind.JAVA, "a.B.m" + i, "", "B.java", i), shared)));
        }
        TestCapture capture = new TestCapture("id", "a.B", "m", "m()", 0, 0,
                List.of(new ScopeReport(Domain.MANAGED, Figures.ZERO, sites)), List.of(), List.of());

        FrameTable table = new FrameTable();
        sites.forEach(s -> s.frames().forEach(table::indexOf));

        assertThat(table.frames()).hasSize(201);
        assertThat(Collections.frequency(table.strings().strings(), shared.symbol())).isEqualTo(1);
        assertThat(roundTrip(capture)).isEqualTo(capture);
    }

    @Test
    void nullStringsAreWrittenAsEmpty() throws IOException {
        TestCapture capture = new TestCapture(null, "a.B", "m", null, 0, 0, List.of(), List.of(), List.of());

        TestCapture read = roundTrip(capture);

        assertThat(read.testId()).isEmpty();
        assertThat(read.displayName()).isEmpty();
    }

    static byte[] encode(TestCapture capture) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CaptureWriter.encode(capture, out);
        return out.toByteArray();
    }

    /** The same capture with the figures section cut back to what version 1 first wrote (no combined peak). */
    private static byte[] withoutTrailingField(byte[] file) throws IOException {
        var body = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(
                new ByteArrayInputStream(file, CaptureFormat.MAGIC.length + 1, file.length)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, CaptureFormat.MAGIC.length + 1);
        var gzip = new java.util.zip.GZIPOutputStream(out);
        var rewritten = new java.io.DataOutputStream(gzip);
        for (int tag = body.readUnsignedByte(); tag != CaptureFormat.END; tag = body.readUnsignedByte()) {
            byte[] payload = body.readNBytes((int) Leb128.readUnsigned(body));
            if (tag == CaptureFormat.FIGURES) {
                payload = java.util.Arrays.copyOf(payload, payload.length - 1); // -1 as svarint is one byte
            }
            rewritten.writeByte(tag);
            Leb128.writeUnsigned(rewritten, payload.length);
            rewritten.write(payload);
        }
        rewritten.writeByte(CaptureFormat.END);
        rewritten.flush();
        gzip.finish();
        return out.toByteArray();
    }

    /** The same capture with the timeline section cut back to its samples (no interval peaks). */
    private static byte[] withoutTimelinePeaks(byte[] file) throws IOException {
        return rewriteSection(file, CaptureFormat.TIMELINE, payload -> {
            var in = new java.io.DataInputStream(new ByteArrayInputStream(payload));
            long samples = Leb128.readUnsigned(in);
            for (long i = 0; i < 3 * samples; i++) {
                Leb128.readUnsigned(in);
            }
            return java.util.Arrays.copyOf(payload, payload.length - in.available());
        });
    }

    private static byte[] rewriteSection(byte[] file, int section, PayloadChange change)
            throws IOException {
        var body = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(
                new ByteArrayInputStream(file, CaptureFormat.MAGIC.length + 1, file.length)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(file, 0, CaptureFormat.MAGIC.length + 1);
        var gzip = new java.util.zip.GZIPOutputStream(out);
        var rewritten = new java.io.DataOutputStream(gzip);
        for (int tag = body.readUnsignedByte(); tag != CaptureFormat.END; tag = body.readUnsignedByte()) {
            byte[] payload = body.readNBytes((int) Leb128.readUnsigned(body));
            if (tag == section) {
                payload = change.apply(payload);
            }
            rewritten.writeByte(tag);
            Leb128.writeUnsigned(rewritten, payload.length);
            rewritten.write(payload);
        }
        rewritten.writeByte(CaptureFormat.END);
        rewritten.flush();
        gzip.finish();
        return out.toByteArray();
    }

    private interface PayloadChange {
        byte[] apply(byte[] payload) throws IOException;
    }

    /** The tags of the body's sections, in file order. */
    private static List<Integer> sectionTags(byte[] file) throws IOException {
        var body = new java.io.DataInputStream(new java.util.zip.GZIPInputStream(
                new ByteArrayInputStream(file, CaptureFormat.MAGIC.length + 1, file.length)));
        List<Integer> tags = new ArrayList<>();
        for (int tag = body.readUnsignedByte(); tag != CaptureFormat.END; tag = body.readUnsignedByte()) {
            tags.add(tag);
            body.skipNBytes(Leb128.readUnsigned(body));
        }
        return tags;
    }

    static TestCapture roundTrip(TestCapture capture) throws IOException {
        return CaptureReader.read(new ByteArrayInputStream(encode(capture)), "memory");
    }
}
