package dev.memtrack.internal.report;

import dev.memtrack.internal.message.StackTrimmer;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import dev.memtrack.internal.model.TestCapture;
import dev.memtrack.internal.model.TimelinePoint;

/**
 * The JSON the report's JavaScript draws from. It mirrors the capture file's layout — a frame
 * table and sites referring to it by index — so the page grows with distinct stacks, like the
 * capture. Arrays instead of objects keep it small; report.js documents the same layout.
 * Frames below the test method are left out ({@link DisplayStacks}).
 *
 * <pre>
 * { "frames":   [[kind "A"|"N"|"J", symbol, library, file, line], ...],
 *   "sites":    [[domain "native"|"managed", allocatedBytes, allocatedCount,
 *                 peakBytes, peakCount, liveBytes, liveCount, [frame index, innermost first],
 *                 ownedBy (a leaked native site's owner line, "" when none), [retainedBy step, ...]], ...],
 *   "peak": the combined peak the figures state (bytes),
 *   "timeline": [[offsetMillis, nativeLiveBytes, managedHeldBytes, highest total since the previous point], ...] }
 * </pre>
 */
final class ReportData {

    private ReportData() {
    }

    static String json(TestCapture capture) {
        StackTrimmer trimmer = DisplayStacks.trimmer(capture);
        FrameTable frames = new FrameTable();
        capture.reports().forEach(r -> r.sites().forEach(s -> trimmer.trim(s.frames()).forEach(frames::indexOf)));

        JsonWriter json = new JsonWriter().beginObject().name("frames").beginArray();
        for (Frame frame : frames.frames()) {
            json.beginArray().value(kindCode(frame.kind())).value(frame.symbol()).value(frame.library())
                    .value(frame.file()).value(frame.line()).endArray();
        }
        json.endArray().name("sites").beginArray();
        for (ScopeReport report : capture.reports()) {
            for (Site site : report.sites()) {
                json.beginArray()
                        .value(site.domain().label())
                        .value(site.allocatedBytes()).value(site.allocatedCount())
                        .value(site.peakBytes()).value(site.peakCount())
                        .value(site.liveBytes()).value(site.liveCount())
                        .beginArray();
                for (Frame frame : trimmer.trim(site.frames())) {
                    json.value(frames.indexOf(frame));
                }
                json.endArray().value(site.ownedBy()).beginArray();
                for (String step : site.retainedBy()) {
                    json.value(step);
                }
                json.endArray().endArray();
            }
        }
        // the peak the figures table states, which the timeline marks
        json.endArray().name("peak").value(capture.peakBytes()).name("timeline").beginArray();
        for (TimelinePoint p : capture.timeline()) {
            json.beginArray().value(p.offsetMillis()).value(p.nativeLiveBytes()).value(p.managedLiveBytes())
                    .value(p.peakBytes()).endArray();
        }
        return json.endArray().endObject().toString();
    }

    private static String kindCode(Frame.Kind kind) {
        return switch (kind) {
            case ALLOCATOR -> "A";
            case NATIVE -> "N";
            case JAVA -> "J";
        };
    }
}
