package dev.memtrack.internal.report;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the capture format (docs/capture-format.md) back into a {@link TestCapture}. Errors are
 * {@link CaptureFormatException}s without the file name; {@link CaptureReader} adds it.
 */
final class CaptureDecoder {

    /**
     * What a capture's decompressed body may hold in all. Real captures are kilobytes to a few
     * megabytes; gzip expands up to about 1000-fold, so without a bound a small hostile or corrupt
     * file (a stale capture the suite summary reads) could make the reader allocate gigabytes.
     */
    static final long MAX_BODY_BYTES = 64L << 20;

    // Decoded so far; each section may use the tables of the sections before it.
    private String testId;
    private String testClass;
    private String testMethod;
    private String displayName;
    private long startEpochMillis;
    private long durationNanos;
    private boolean haveTest;
    private List<Domain> domains;
    private List<Figures> figures;
    private List<String> strings;
    private List<Frame> frames;
    private List<List<Site>> sites;
    private List<TimelinePoint> timeline;
    private List<String> failures;
    private long combinedPeakBytes = -1;
    private String runId = "";

    private CaptureDecoder() {
    }

    static TestCapture decode(InputStream in) throws IOException {
        readHeader(in);
        CaptureDecoder decoder = new CaptureDecoder();
        try {
            decoder.readBody(new DataInputStream(new GZIPInputStream(in, 8192)));
        } catch (EOFException e) {
            throw new CaptureFormatException("the file is truncated (it ends before the end marker)", e);
        } catch (ZipException e) {
            throw new CaptureFormatException("the compressed body is corrupt (" + e.getMessage() + ")", e);
        }
        return decoder.capture();
    }

    private static void readHeader(InputStream in) throws IOException {
        byte[] magic = in.readNBytes(CaptureFormat.MAGIC.length);
        if (!Arrays.equals(magic, CaptureFormat.MAGIC)) {
            throw new CaptureFormatException("not a memtrack capture: expected the magic \"MTCAP\" at the start but found "
                    + describe(magic));
        }
        int version = in.read();
        if (version < 0) {
            throw new CaptureFormatException("the file is truncated (it ends after the magic, before the format version)");
        }
        if (version < CaptureFormat.OLDEST_READ_VERSION || version > CaptureFormat.VERSION) {
            throw new CaptureFormatException("capture format version " + version + " is not supported: this memtrack reads versions "
                    + CaptureFormat.OLDEST_READ_VERSION + " to " + CaptureFormat.VERSION
                    + "; render it with the memtrack version that wrote it");
        }
    }

    private static String describe(byte[] start) {
        if (start.length == 0) {
            return "an empty file";
        }
        boolean printable = true;
        for (byte b : start) {
            printable &= b >= 0x20 && b < 0x7F;
        }
        if (printable) {
            return "\"" + new String(start, StandardCharsets.US_ASCII) + "\"";
        }
        StringBuilder hex = new StringBuilder("bytes");
        for (byte b : start) {
            hex.append(String.format(Locale.ROOT, " %02x", b & 0xFF));
        }
        return hex.toString();
    }

    private void readBody(DataInputStream body) throws IOException {
        int previous = CaptureFormat.END;
        long budget = MAX_BODY_BYTES;
        while (true) {
            int tag = body.readUnsignedByte();
            if (tag == CaptureFormat.END) {
                break;
            }
            if (tag <= previous) {
                throw new CaptureFormatException("section " + CaptureFormat.sectionName(tag) + " appears after section "
                        + CaptureFormat.sectionName(previous) + "; sections must be in increasing tag order");
            }
            previous = tag;
            long length = Leb128.readUnsigned(body);
            if (length < 0 || length > budget) {
                throw new CaptureFormatException("section " + CaptureFormat.sectionName(tag) + " claims "
                        + Long.toUnsignedString(length) + " bytes, more than the " + (MAX_BODY_BYTES >> 20)
                        + " MiB a capture's body may hold in all (a corrupt or foreign file)");
            }
            budget -= length;
            // readNBytes grows its buffer as data arrives, so a lying length cannot exhaust memory.
            byte[] payload = body.readNBytes((int) length);
            if (payload.length < length) {
                throw new EOFException();
            }
            readSection(tag, new SectionInput(CaptureFormat.sectionName(tag), payload));
        }
        // Reading to the end makes GZIPInputStream verify the CRC and length in the gzip trailer.
        if (body.read() >= 0) {
            throw new CaptureFormatException("unexpected data after the end marker");
        }
    }

    /** Unknown tags come from newer writers of the same version: their sections are skipped. */
    private void readSection(int tag, SectionInput in) throws IOException {
        switch (tag) {
            case CaptureFormat.TEST -> readTest(in);
            case CaptureFormat.FIGURES -> readFigures(in);
            case CaptureFormat.STRINGS -> strings = readStrings(in);
            case CaptureFormat.FRAMES -> readFrames(in);
            case CaptureFormat.SITES -> readSites(in);
            case CaptureFormat.TIMELINE -> readTimeline(in);
            case CaptureFormat.FAILURES -> failures = readStrings(in);
            case CaptureFormat.RETAINED -> readRetained(in);
            case CaptureFormat.OWNERS -> readOwners(in);
            default -> {
            }
        }
    }

    private void readTest(SectionInput in) throws IOException {
        testId = in.string();
        testClass = in.string();
        testMethod = in.string();
        displayName = in.string();
        startEpochMillis = in.signed();
        durationNanos = in.unsigned();
        if (in.hasMore()) {
            runId = in.string();
        }
        haveTest = true;
    }

    private void readFigures(SectionInput in) throws IOException {
        int count = in.count();
        domains = new ArrayList<>(count);
        figures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            domains.add(CaptureFormat.domain(in.u8()));
            figures.add(new Figures(in.unsigned(), in.unsigned(), in.unsigned(), in.unsigned(),
                    in.unsigned(), in.unsigned(), in.unsigned()));
        }
        if (in.hasMore()) {
            combinedPeakBytes = in.signed();
        }
    }

    private static List<String> readStrings(SectionInput in) throws IOException {
        int count = in.count();
        List<String> result = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            result.add(in.string());
        }
        return result;
    }

    private void readFrames(SectionInput in) throws IOException {
        require(strings, CaptureFormat.STRINGS);
        int count = in.count();
        frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Frame.Kind kind = CaptureFormat.kind(in.u8());
            String symbol = strings.get(in.index(strings.size(), "string"));
            String library = strings.get(in.index(strings.size(), "string"));
            String file = strings.get(in.index(strings.size(), "string"));
            frames.add(new Frame(kind, symbol, library, file, in.signedInt()));
        }
    }

    private void readSites(SectionInput in) throws IOException {
        require(domains, CaptureFormat.FIGURES);
        require(frames, CaptureFormat.FRAMES);
        int reports = in.count();
        if (reports != domains.size()) {
            throw in.corrupt("it has sites for " + reports + " domains but the figures section has " + domains.size());
        }
        sites = new ArrayList<>(reports);
        for (int r = 0; r < reports; r++) {
            int count = in.count();
            List<Site> reportSites = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                reportSites.add(readSite(in));
            }
            sites.add(reportSites);
        }
    }

    private Site readSite(SectionInput in) throws IOException {
        Domain domain = CaptureFormat.domain(in.u8());
        Origin origin = CaptureFormat.origin(in.u8());
        long allocatedBytes = in.unsigned();
        long allocatedCount = in.unsigned();
        long liveBytes = in.unsigned();
        long liveCount = in.unsigned();
        long peakBytes = in.unsigned();
        long peakCount = in.unsigned();
        int depth = in.count();
        List<Frame> stack = new ArrayList<>(depth);
        for (int i = 0; i < depth; i++) {
            stack.add(frames.get(in.index(frames.size(), "frame")));
        }
        return new Site(domain, origin, allocatedBytes, allocatedCount, liveBytes, liveCount, peakBytes, peakCount, stack);
    }

    private void readRetained(SectionInput in) throws IOException {
        amendSites(in, (s, entry) -> new Site(s.domain(), s.origin(), s.allocatedBytes(), s.allocatedCount(), s.liveBytes(),
                s.liveCount(), s.peakBytes(), s.peakCount(), s.frames(), readStrings(entry)));
    }

    private void readOwners(SectionInput in) throws IOException {
        amendSites(in, (s, entry) -> new Site(s.domain(), s.origin(), s.allocatedBytes(), s.allocatedCount(), s.liveBytes(),
                s.liveCount(), s.peakBytes(), s.peakCount(), s.frames(), s.retainedBy(), entry.string()));
    }

    /** A site's extra (read from the rest of its entry) applied to the site it names. */
    @FunctionalInterface
    private interface SiteAmendment {
        Site amend(Site site, SectionInput entry) throws IOException;
    }

    /** Sections that add to sites already read: entries of (domain index, site index, what the amendment reads). */
    private void amendSites(SectionInput in, SiteAmendment amendment) throws IOException {
        require(sites, CaptureFormat.SITES);
        int count = in.count();
        for (int k = 0; k < count; k++) {
            List<Site> reportSites = sites.get(in.index(sites.size(), "domain"));
            int index = in.index(reportSites.size(), "site");
            reportSites.set(index, amendment.amend(reportSites.get(index), in));
        }
    }

    private void readTimeline(SectionInput in) throws IOException {
        int count = in.count();
        timeline = new ArrayList<>(count);
        long offset = 0;
        long nativeLive = 0;
        long managedLive = 0;
        for (int i = 0; i < count; i++) {
            offset += in.signed();
            nativeLive += in.signed();
            managedLive += in.signed();
            timeline.add(new TimelinePoint(offset, nativeLive, managedLive));
        }
        if (in.hasMore()) {
            // each point's highest total since the point before (captures without it: the totals)
            int peaks = in.count();
            if (peaks != count) {
                throw new CaptureFormatException("timeline section: " + peaks + " interval peaks for " + count
                        + " samples; expected one per sample");
            }
            for (int i = 0; i < count; i++) {
                TimelinePoint p = timeline.get(i);
                timeline.set(i, p.withPeakAtLeast(p.totalBytes() + in.unsigned()));
            }
        }
    }

    private TestCapture capture() throws CaptureFormatException {
        if (!haveTest) {
            throw missing(CaptureFormat.TEST);
        }
        require(domains, CaptureFormat.FIGURES);
        require(sites, CaptureFormat.SITES);
        require(timeline, CaptureFormat.TIMELINE);
        require(failures, CaptureFormat.FAILURES);
        List<ScopeReport> reports = new ArrayList<>(domains.size());
        for (int i = 0; i < domains.size(); i++) {
            reports.add(new ScopeReport(domains.get(i), figures.get(i), sites.get(i)));
        }
        return new TestCapture(testId, testClass, testMethod, displayName, startEpochMillis, durationNanos,
                reports, timeline, failures, combinedPeakBytes, runId);
    }

    private static void require(Object decoded, int tag) throws CaptureFormatException {
        if (decoded == null) {
            throw missing(tag);
        }
    }

    private static CaptureFormatException missing(int tag) {
        return new CaptureFormatException("the " + CaptureFormat.sectionName(tag) + " section is missing");
    }
}
