package dev.memtrack.internal.agent;

/**
 * The header of the texts the native agent writes for Java (native/src/report_text.h, format in
 * docs/native-report-format.md): its first line is exactly {@code <kind> TAB <version>}. Both
 * sides declare the version once and accept exactly it; a change of format changes both together.
 */
final class NativeTextFormat {

    /** REPORT_TEXT_VERSION in native/src/report_text.h. */
    static final int VERSION = 5;
    /** A scope's native or managed report (memtrack_scope_report, memtrack_heap_report). */
    static final String REPORT = "memtrack-report";
    /** The heap walker's leak text (HeapWalker.findLeaks0). */
    static final String HEAP_LEAKS = "memtrack-heap-leaks";

    private NativeTextFormat() {
    }

    static String header(String kind) {
        return kind + "\t" + VERSION;
    }

    /** Throws unless the first line is exactly the header of {@code kind} at {@link #VERSION}. */
    static void checkHeader(String[] lines, String kind) {
        String first = lines.length == 0 ? "" : lines[0];
        if (!first.equals(header(kind))) {
            throw new IllegalStateException("Unsupported native text header: '" + first.replace("\t", "\\t")
                    + "'; this memtrack reads '" + kind + "\\t" + VERSION + "' (the agent library and the jar differ)");
        }
    }
}
