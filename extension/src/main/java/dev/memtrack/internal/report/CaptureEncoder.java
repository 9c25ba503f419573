package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import java.io.ByteArrayOutputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a {@link TestCapture} in the capture format (docs/capture-format.md): an uncompressed
 * header (magic, version) followed by a gzip body of length-prefixed sections.
 */
final class CaptureEncoder {

    private CaptureEncoder() {
    }

    /** Writes the whole capture; does not close {@code out}. */
    static void encode(TestCapture capture, OutputStream out) throws IOException {
        out.write(CaptureFormat.MAGIC);
        out.write(CaptureFormat.VERSION);
        GZIPOutputStream gzip = new GZIPOutputStream(out, 8192);
        DataOutputStream body = new DataOutputStream(gzip);

        FrameTable frames = new FrameTable();
        for (ScopeReport report : capture.reports()) {
            for (Site site : report.sites()) {
                site.frames().forEach(frames::indexOf);
            }
        }
        section(body, CaptureFormat.TEST, s -> writeTest(s, capture));
        section(body, CaptureFormat.FIGURES, s -> writeFigures(s, capture.reports(), capture.combinedPeakBytes()));
        section(body, CaptureFormat.STRINGS, s -> writeStrings(s, frames.strings().strings()));
        section(body, CaptureFormat.FRAMES, s -> writeFrames(s, frames));
        section(body, CaptureFormat.SITES, s -> writeSites(s, capture.reports(), frames));
        section(body, CaptureFormat.TIMELINE, s -> writeTimeline(s, capture.timeline()));
        section(body, CaptureFormat.FAILURES, s -> writeStrings(s, capture.failures()));
        if (capture.reports().stream().anyMatch(r -> r.sites().stream().anyMatch(site -> !site.retainedBy().isEmpty()))) {
            section(body, CaptureFormat.RETAINED, s -> writeRetained(s, capture.reports()));
        }
        if (capture.reports().stream().anyMatch(r -> r.sites().stream().anyMatch(site -> !site.ownedBy().isEmpty()))) {
            section(body, CaptureFormat.OWNERS, s -> writeOwners(s, capture.reports()));
        }
        body.writeByte(CaptureFormat.END);
        body.flush();
        gzip.finish();
    }

    private interface SectionContent {
        void writeTo(DataOutputStream section) throws IOException;
    }

    /** Buffers a section so its length can precede it; readers use the length to skip it. */
    private static void section(DataOutputStream body, int tag, SectionContent content) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        DataOutputStream section = new DataOutputStream(buffer);
        content.writeTo(section);
        section.flush();
        body.writeByte(tag);
        Leb128.writeUnsigned(body, buffer.size());
        buffer.writeTo(body);
    }

    private static void writeTest(DataOutput out, TestCapture capture) throws IOException {
        writeString(out, capture.testId());
        writeString(out, capture.testClass());
        writeString(out, capture.testMethod());
        writeString(out, capture.displayName());
        Leb128.writeSigned(out, capture.startEpochMillis());
        Leb128.writeUnsigned(out, capture.durationNanos());
        writeString(out, capture.runId()); // appended field: readers that predate it skip it
    }

    private static void writeFigures(DataOutput out, List<ScopeReport> reports, long combinedPeak) throws IOException {
        Leb128.writeUnsigned(out, reports.size());
        for (ScopeReport report : reports) {
            Figures f = report.figures();
            out.writeByte(CaptureFormat.code(report.domain()));
            Leb128.writeUnsigned(out, f.allocatedBytes());
            Leb128.writeUnsigned(out, f.allocatedCount());
            Leb128.writeUnsigned(out, f.freedBytes());
            Leb128.writeUnsigned(out, f.freedCount());
            Leb128.writeUnsigned(out, f.liveBytes());
            Leb128.writeUnsigned(out, f.liveCount());
            Leb128.writeUnsigned(out, f.peakBytes());
        }
        Leb128.writeSigned(out, combinedPeak); // appended field: readers that predate it skip it
    }

    private static void writeStrings(DataOutput out, List<String> strings) throws IOException {
        Leb128.writeUnsigned(out, strings.size());
        for (String s : strings) {
            writeString(out, s);
        }
    }

    private static void writeFrames(DataOutput out, FrameTable frames) throws IOException {
        StringTable strings = frames.strings();
        Leb128.writeUnsigned(out, frames.frames().size());
        for (Frame frame : frames.frames()) {
            out.writeByte(CaptureFormat.code(frame.kind()));
            Leb128.writeUnsigned(out, strings.indexOf(frame.symbol()));
            Leb128.writeUnsigned(out, strings.indexOf(frame.library()));
            Leb128.writeUnsigned(out, strings.indexOf(frame.file()));
            Leb128.writeSigned(out, frame.line());
        }
    }

    private static void writeSites(DataOutput out, List<ScopeReport> reports, FrameTable frames) throws IOException {
        Leb128.writeUnsigned(out, reports.size());
        for (ScopeReport report : reports) {
            Leb128.writeUnsigned(out, report.sites().size());
            for (Site site : report.sites()) {
                out.writeByte(CaptureFormat.code(site.domain()));
                out.writeByte(CaptureFormat.code(site.origin()));
                Leb128.writeUnsigned(out, site.allocatedBytes());
                Leb128.writeUnsigned(out, site.allocatedCount());
                Leb128.writeUnsigned(out, site.liveBytes());
                Leb128.writeUnsigned(out, site.liveCount());
                Leb128.writeUnsigned(out, site.peakBytes());
                Leb128.writeUnsigned(out, site.peakCount());
                Leb128.writeUnsigned(out, site.frames().size());
                for (Frame frame : site.frames()) {
                    Leb128.writeUnsigned(out, frames.indexOf(frame));
                }
            }
        }
    }

    /** Per site with a reference path: its domain's and its own index in the sites section, then the path. */
    private static void writeRetained(DataOutput out, List<ScopeReport> reports) throws IOException {
        int count = 0;
        for (ScopeReport report : reports) {
            count += (int) report.sites().stream().filter(site -> !site.retainedBy().isEmpty()).count();
        }
        Leb128.writeUnsigned(out, count);
        for (int r = 0; r < reports.size(); r++) {
            List<Site> sites = reports.get(r).sites();
            for (int i = 0; i < sites.size(); i++) {
                if (!sites.get(i).retainedBy().isEmpty()) {
                    Leb128.writeUnsigned(out, r);
                    Leb128.writeUnsigned(out, i);
                    writeStrings(out, sites.get(i).retainedBy());
                }
            }
        }
    }

    /** Per site with an owner line: its domain's and its own index in the sites section, then the line. */
    private static void writeOwners(DataOutput out, List<ScopeReport> reports) throws IOException {
        int count = 0;
        for (ScopeReport report : reports) {
            count += (int) report.sites().stream().filter(site -> !site.ownedBy().isEmpty()).count();
        }
        Leb128.writeUnsigned(out, count);
        for (int r = 0; r < reports.size(); r++) {
            List<Site> sites = reports.get(r).sites();
            for (int i = 0; i < sites.size(); i++) {
                if (!sites.get(i).ownedBy().isEmpty()) {
                    Leb128.writeUnsigned(out, r);
                    Leb128.writeUnsigned(out, i);
                    writeString(out, sites.get(i).ownedBy());
                }
            }
        }
    }

    /** Deltas from the previous point: time and live bytes change little between samples. */
    private static void writeTimeline(DataOutput out, List<TimelinePoint> timeline) throws IOException {
        Leb128.writeUnsigned(out, timeline.size());
        long offset = 0;
        long nativeLive = 0;
        long managedLive = 0;
        for (TimelinePoint p : timeline) {
            Leb128.writeSigned(out, p.offsetMillis() - offset);
            Leb128.writeSigned(out, p.nativeLiveBytes() - nativeLive);
            Leb128.writeSigned(out, p.managedLiveBytes() - managedLive);
            offset = p.offsetMillis();
            nativeLive = p.nativeLiveBytes();
            managedLive = p.managedLiveBytes();
        }
        // appended field (readers that predate it skip it): each point's highest total since the
        // point before, as its excess over the total at the instant (mostly 0: one byte)
        Leb128.writeUnsigned(out, timeline.size());
        for (TimelinePoint p : timeline) {
            Leb128.writeUnsigned(out, p.peakBytes() - p.totalBytes());
        }
    }

    /**
     * Length in bytes, then standard UTF-8 — not {@link DataOutput#writeUTF}, whose modified
     * UTF-8 is limited to 64 KiB and failure messages with many stacks can be longer.
     */
    private static void writeString(DataOutput out, String s) throws IOException {
        byte[] bytes = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
        Leb128.writeUnsigned(out, bytes.length);
        out.write(bytes);
    }
}
