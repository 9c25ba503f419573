package dev.memtrack.internal.agent;

import dev.memtrack.internal.model.Domain;
import dev.memtrack.internal.model.Figures;
import dev.memtrack.internal.model.Frame;
import dev.memtrack.internal.model.Origin;
import dev.memtrack.internal.model.ScopeReport;
import dev.memtrack.internal.model.Site;
import java.util.ArrayList;
import java.util.List;

/** Reads the text that memtrack_scope_report returns; format in docs/native-report-format.md. */
final class NativeReportParser {

    private NativeReportParser() {
    }

    static ScopeReport parse(String text) {
        String[] lines = text.split("\n");
        NativeTextFormat.checkHeader(lines, NativeTextFormat.REPORT);
        Figures totals = Figures.ZERO;
        List<Site> sites = new ArrayList<>();
        String[] pendingSite = null;
        List<Frame> frames = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            switch (f[0]) {
                case "totals" -> totals = new Figures(l(f[1]), l(f[2]), l(f[3]), l(f[4]), l(f[5]), l(f[6]), l(f[7]));
                case "site" -> {
                    if (pendingSite != null) {
                        sites.add(site(pendingSite, frames));
                    }
                    pendingSite = f;
                    frames = new ArrayList<>();
                }
                case "frame" -> frames.add(new Frame(kind(f[1]), f[2], f[3], f[4], Integer.parseInt(f[5])));
                case "end", "" -> {
                }
                default -> throw new IllegalStateException("Unexpected native report line " + (i + 1) + ": '" + lines[i] + "'");
            }
        }
        if (pendingSite != null) {
            sites.add(site(pendingSite, frames));
        }
        return new ScopeReport(Domain.NATIVE, totals, sites);
    }

    private static Site site(String[] f, List<Frame> frames) {
        return new Site(Domain.NATIVE, Origin.fromCode(f[1]), l(f[2]), l(f[3]), l(f[4]), l(f[5]), l(f[6]), l(f[7]), frames);
    }

    private static Frame.Kind kind(String code) {
        return switch (code) {
            case "A" -> Frame.Kind.ALLOCATOR;
            case "N" -> Frame.Kind.NATIVE;
            case "J" -> Frame.Kind.JAVA;
            default -> throw new IllegalStateException("Unknown frame kind '" + code + "'");
        };
    }

    private static long l(String s) {
        return Long.parseLong(s);
    }
}
