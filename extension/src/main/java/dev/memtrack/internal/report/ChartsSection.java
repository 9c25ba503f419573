package dev.memtrack.internal.report;

/**
 * Placeholders for the three flame graphs and the timeline, with their legend, search box and
 * inverted-view toggle; report.js draws into them from the embedded data with d3-flame-graph. Native, Java and JNI-boundary frames get distinct colours,
 * explained once in the legend.
 */
final class ChartsSection {

    private ChartsSection() {
    }

    static void render(StringBuilder html) {
        html.append("""
                <section id="flamegraphs">
                <h2>Flame graphs</h2>
                <div class="controls">
                <ul class="legend">
                <li><span class="swatch k-allocator"></span>allocator (malloc, mmap...)</li>
                <li><span class="swatch k-native"></span>native frame</li>
                <li><span class="swatch boundary"></span>JNI boundary: first native frame called from Java</li>
                <li><span class="swatch k-java"></span>Java frame</li>
                </ul>
                <label>Domain <select id="domain"><option value="both">native and managed</option>\
                <option value="native">native</option><option value="managed">managed</option></select></label>
                <label>Search <input id="flame-search" type="search" placeholder="frame name"></label>
                <label><input id="flame-invert" type="checkbox"> inverted (icicle: outermost frame at the top)</label>
                </div>
                <p class="hint">Outermost frame at the bottom, allocator at the top; width is bytes.\
                 Click a frame to zoom in, the bottom frame to zoom out; frames matching the search turn magenta.</p>
                <h3>Live at the peak</h3>
                <div class="flame" data-weight="peak"></div>
                <h3>Leaks</h3>
                <div class="flame" data-weight="leaks"></div>
                <h3>All allocations</h3>
                <div class="flame" data-weight="all"></div>
                <noscript><p class="empty">The flame graphs and the timeline need JavaScript.</p></noscript>
                </section>
                <section id="timeline">
                <h2>Timeline</h2>
                <ul class="legend"><li><span class="swatch line-native"></span>native live</li>\
                <li><span class="swatch line-managed"></span>managed held</li>\
                <li><span class="swatch line-total"></span>total</li>\
                <li><span class="swatch line-total"></span>bar: highest total since the previous point</li>\
                <li><span class="swatch line-peak"></span>the combined peak stated above, dot where it was reached</li></ul>
                <div id="timeline-chart" class="chart"></div>
                </section>
                """);
    }
}
