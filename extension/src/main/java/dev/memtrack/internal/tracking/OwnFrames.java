package dev.memtrack.internal.tracking;

import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps memtrack's own code out of a scope's sites. memtrack's work inside a scope (reading
 * reports, settling, the leak walk, building a message) runs with the thread detached
 * ({@link OwnWork}); what is left is the few objects a call into the agent allocates before the
 * agent can switch the thread (JNA's arguments). A site whose allocating code is memtrack's — no
 * frame of the test's code between the allocation and memtrack's innermost frame, only the JDK
 * and JNA — is dropped. The sites of a block measured by {@code assertAllocations} pass through
 * memtrack's frames between the block and the test method: those frames are cut out, as JUnit
 * and AssertJ cut theirs, so the block's lambda reads as called by the test.
 */
final class OwnFrames {

    private static final List<String> LIBRARY_PREFIXES = List.of(
            "java.", "javax.", "jdk.", "sun.", "com.sun.jna.", "org.awaitility.", "net.bytebuddy.", "org.assertj.");

    private OwnFrames() {
    }

    static ScopeReport strip(ScopeReport report) {
        List<Site> kept = new ArrayList<>(report.sites().size());
        boolean changed = false;
        for (Site site : report.sites()) {
            int innermostOwn = innermostOwnFrame(site.frames());
            if (innermostOwn < 0) {
                kept.add(site);
                continue;
            }
            changed = true;
            if (madeByUserCode(site.frames(), innermostOwn)) {
                kept.add(new Site(site.domain(), site.origin(), site.allocatedBytes(), site.allocatedCount(),
                        site.liveBytes(), site.liveCount(), site.peakBytes(), site.peakCount(),
                        withoutOwnFrames(site.frames()), site.retainedBy(), site.ownedBy(), site.held()));
            }
        }
        return changed ? new ScopeReport(report.domain(), report.figures(), kept) : report;
    }

    private static int innermostOwnFrame(List<Frame> frames) {
        for (int i = 0; i < frames.size(); i++) {
            if (isOwn(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** A frame of the test's code (not the JDK, JNA or another library memtrack uses) inside memtrack's innermost one. */
    private static boolean madeByUserCode(List<Frame> frames, int innermostOwn) {
        for (Frame frame : frames.subList(0, innermostOwn)) {
            if (frame.isJava() && LIBRARY_PREFIXES.stream().noneMatch(frame.javaClassName()::startsWith)) {
                return true;
            }
        }
        return false;
    }

    private static List<Frame> withoutOwnFrames(List<Frame> frames) {
        return frames.stream().filter(frame -> !isOwn(frame)).toList();
    }

    static boolean isOwn(Frame frame) {
        return frame.isJava() && CallerStack.isOwn(frame.javaClassName());
    }
}
