'use strict';
// memtrack report: flame graphs, timeline and sortable tables, drawn from the JSON embedded in
// the page. The flame graphs are d3-flame-graph, inlined before this script; no network: the page
// must open offline. Data layout (ReportData.java):
//   frames:   [kind "A"|"N"|"J", symbol, library, file, line]
//   sites:    [domain, allocatedBytes, allocatedCount, peakBytes, peakCount, liveBytes, liveCount,
//              [frame indices, innermost first], ownedBy ("" when none), [retainedBy steps]]
//   peak:     the combined peak the figures state, marked on the timeline
//   timeline: [offsetMillis, nativeLiveBytes, managedHeldBytes, highest total since the previous point]
(function () {
  const WEIGHT = { all: 1, peak: 3, leaks: 5 };  // site index of the bytes; the count follows it
  const EMPTY = { all: 'Nothing was allocated', peak: 'Nothing was live at the peak', leaks: 'Nothing leaked' };
  const KIND = { A: 'allocator', N: 'native', J: 'java' };
  const tip = document.getElementById('tip');

  // Same as SizeFormatter.java: binary units, one decimal; a value that would round to 1024.0
  // of a unit moves to the next one.
  function size(bytes) {
    if (bytes < 1024) return bytes + ' B';
    const units = ['KiB', 'MiB', 'GiB'];
    let value = bytes / 1024, unit = 0;
    while (unit < units.length - 1 && Math.round(value * 10) >= 10240) { value /= 1024; unit++; }
    return value.toFixed(1) + ' ' + units[unit];
  }
  const count = n => n.toLocaleString('en-US');
  const esc = s => String(s).replace(/[&<>"']/g, c => '&#' + c.charCodeAt(0) + ';');

  function showTip(event, text) {
    if (!tip) return;
    tip.textContent = text;
    tip.hidden = false;
    tip.style.left = Math.max(0, Math.min(event.clientX + 12, innerWidth - tip.offsetWidth - 4)) + 'px';
    const below = event.clientY + 16;
    tip.style.top = (below + tip.offsetHeight > innerHeight ? event.clientY - tip.offsetHeight - 8 : below) + 'px';
  }
  function hideTip() { if (tip) tip.hidden = true; }

  // Sortable tables (reports and the suite index): first click sorts largest first.
  for (const table of document.querySelectorAll('table.sortable')) {
    table.tHead.addEventListener('click', event => {
      const th = event.target.closest('th');
      if (!th) return;
      const column = th.cellIndex, body = table.tBodies[0];
      const descending = th.dataset.order !== 'desc';
      for (const other of table.tHead.querySelectorAll('th')) delete other.dataset.order;
      th.dataset.order = descending ? 'desc' : 'asc';
      const key = row => {
        const cell = row.cells[column];
        return cell.dataset.v !== undefined ? Number(cell.dataset.v) : cell.textContent.toLowerCase();
      };
      const rows = Array.from(body.rows).sort((a, b) => {
        const ka = key(a), kb = key(b), order = ka < kb ? -1 : ka > kb ? 1 : 0;
        return descending ? -order : order;
      });
      rows.forEach(row => body.appendChild(row));
    });
  }

  const dataElement = document.getElementById('memtrack-data');
  if (!dataElement) return;  // the suite index has tables only
  const data = JSON.parse(dataElement.textContent);

  // Same as FrameText.java.
  function frameText(frame) {
    const [kind, symbol, library, file, line] = frame;
    if (kind === 'J') {
      return symbol + '(' + (line === -2 ? 'Native Method' : !file ? 'Unknown Source' : line > 0 ? file + ':' + line : file) + ')';
    }
    return symbol + (library ? ' [' + library + ']' : '') + (file ? ' ' + file + (line > 0 ? ':' + line : '') : '');
  }
  // Label inside a flame: Class.method for Java, the function name for native code.
  function shortName(frame) {
    return frame[0] === 'J' ? frame[1].split('.').slice(-2).join('.') : frame[1];
  }

  // Merges the stacks of the sites into the tree d3-flame-graph draws: a node per frame, its
  // value the bytes of every site through it (children sum to at most their parent).
  function buildTree(weight, domain) {
    const root = { name: 'all', frame: -1, value: 0, count: 0, kind: '', children: [], byFrame: new Map() };
    for (const site of data.sites) {
      const bytes = site[weight], n = site[weight + 1];
      if (bytes <= 0 || (domain !== 'both' && site[0] !== domain)) continue;
      root.value += bytes;
      root.count += n;
      let node = root;
      const stack = site[7];
      for (let i = stack.length - 1; i >= 0; i--) {
        let child = node.byFrame.get(stack[i]);
        if (!child) {
          const frame = data.frames[stack[i]];
          // A non-Java frame called by a Java frame is where execution crossed into native code.
          const kind = frame[0] !== 'J' && node.frame >= 0 && data.frames[node.frame][0] === 'J' ? 'boundary' : KIND[frame[0]];
          child = { name: shortName(frame), frame: stack[i], value: 0, count: 0, kind, children: [], byFrame: new Map() };
          node.byFrame.set(stack[i], child);
          node.children.push(child);
        }
        child.value += bytes;
        child.count += n;
        node = child;
      }
    }
    root.name = 'all: ' + size(root.value);
    return root;
  }

  function describe(item, total) {
    const share = (100 * item.value / total).toFixed(1) + ' %';
    const what = item.frame >= 0 ? frameText(data.frames[item.frame]) : 'all sites';
    return what + '\n' + size(item.value) + ' (' + share + ') in ' + count(item.count) +
        (item.count === 1 ? ' allocation' : ' allocations');
  }

  // d3-flame-graph's bundle (inlined before this script) exports only the chart; it is handed a
  // one-element stand-in for a d3 selection, enough for the chart's datum/each/selectAll calls.
  function selectionOf(element, datum) {
    const selection = {
      each(fn) { fn.call(element, datum, 0, [element]); return selection; },
      datum(value) {
        if (!arguments.length) return datum;
        datum = typeof value === 'function' ? value.call(element, datum, 0, [element]) : value;
        return selection;
      },
      selectAll(selector) { return { remove() { element.querySelectorAll(selector).forEach(e => e.remove()); } }; },
    };
    return selection;
  }

  const style = getComputedStyle(document.documentElement);
  const COLOUR = {};
  for (const kind of ['allocator', 'native', 'java', 'boundary', 'root']) COLOUR[kind] = style.getPropertyValue('--' + kind).trim();
  const HIGHLIGHT = '#e600e6';

  function flameGraph(element, root, emptyText, inverted, term) {
    element.innerHTML = '';
    delete element.dataset.matches;
    if (!root.value) {
      element.innerHTML = '<p class="empty">' + esc(emptyText) + '.</p>';
      return;
    }
    if (typeof flamegraph !== 'function') {
      element.innerHTML = '<p class="empty">The flame graph library is missing from this page.</p>';
      return;
    }
    const status = document.createElement('p');
    status.className = 'hint flame-status';
    const chart = flamegraph()
        .width(Math.max(300, element.clientWidth || 900))
        .cellHeight(18)
        .minFrameSize(2)
        .transitionDuration(250)
        .sort((a, b) => b.value - a.value)
        .inverted(inverted)
        .tooltip(false)
        .setLabelHandler(d => describe(d.data, root.value))
        .setColorMapper(d => d.highlight ? HIGHLIGHT : COLOUR[d.data.kind || 'root'])
        .setSearchHandler((results, sum, total) => {
          element.dataset.matches = results.length;
          status.textContent = results.length ? results.length + (results.length === 1 ? ' frame matches: ' : ' frames match: ') +
              size(sum) + ' of ' + size(total) + ' (' + (100 * sum / total).toFixed(1) + ' %)' : '';
        });
    const box = document.createElement('div');
    element.appendChild(box);
    element.appendChild(status);
    chart(selectionOf(box, root));
    if (term) chart.search(term);
  }

  const domainSelect = document.getElementById('domain');
  const searchInput = document.getElementById('flame-search');
  const invertBox = document.getElementById('flame-invert');
  function drawFlameGraphs() {
    const domain = domainSelect ? domainSelect.value : 'both';
    const inverted = !!(invertBox && invertBox.checked);
    const term = searchInput ? searchInput.value.trim() : '';
    for (const element of document.querySelectorAll('.flame')) {
      const kind = element.dataset.weight;
      const empty = EMPTY[kind] + (domain === 'both' ? '' : ' in the ' + domain + ' domain');
      flameGraph(element, buildTree(WEIGHT[kind], domain), empty, inverted, term);
    }
  }
  if (domainSelect) domainSelect.onchange = drawFlameGraphs;
  if (invertBox) invertBox.onchange = drawFlameGraphs;
  if (searchInput) searchInput.oninput = drawFlameGraphs;
  let resizeTimer = 0;
  addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(drawFlameGraphs, 200); });
  if (document.querySelector('.flame')) drawFlameGraphs();

  function timeline(element) {
    const points = data.timeline;
    if (!points.length) {
      element.innerHTML = '<p class="empty">No timeline was recorded.</p>';
      return;
    }
    const W = 900, H = 260, L = 70, R = 14, T = 12, B = 30;
    const tMax = Math.max(1, points.reduce((m, p) => Math.max(m, p[0]), 0));
    // the stated peak is marked where it was reached: each point carries the highest total since
    // the point before (the agent keeps it between two samples), so a peak between samples shows
    const peak = data.peak || 0;
    const yMax = Math.max(1, peak, points.reduce((m, p) => Math.max(m, p[3]), 0)) * 1.05;
    const x = t => L + (W - L - R) * t / tMax;
    const y = v => H - B - (H - T - B) * v / yMax;
    // A single sample still draws as a flat line across the chart.
    const series = points.length > 1 ? points : [points[0], [tMax, points[0][1], points[0][2], points[0][3]]];
    const path = (cls, value) => '<path class="' + cls + '" d="M' +
        series.map(p => x(p[0]).toFixed(1) + ' ' + y(value(p)).toFixed(1)).join('L') + '"/>';

    let svg = '<svg viewBox="0 0 ' + W + ' ' + H + '" role="img" aria-label="live memory over the test">';
    for (let k = 0; k <= 4; k++) {
      const v = yMax * k / 4;
      svg += '<line class="grid" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v) + '" y2="' + y(v) + '"/>' +
          '<text x="' + (L - 6) + '" y="' + (y(v) + 4) + '" text-anchor="end">' + size(Math.round(v)) + '</text>';
    }
    for (let k = 0; k <= 4; k++) {
      const t = tMax * k / 4;
      const anchor = k === 0 ? 'start' : k === 4 ? 'end' : 'middle';  // keep the end labels inside
      svg += '<text x="' + x(t) + '" y="' + (H - 10) + '" text-anchor="' + anchor + '">' + Math.round(t) + ' ms</text>';
    }
    if (peak > 0) {
      svg += '<line class="peak" x1="' + L + '" x2="' + (W - R) + '" y1="' + y(peak) + '" y2="' + y(peak) + '"/>' +
          '<text class="peak" x="' + (W - R - 4) + '" y="' + (y(peak) - 4) + '" text-anchor="end">peak ' + size(peak) + '</text>';
    }
    // between two points the total reached p[3]: a bar up to it at the end of the interval
    for (const p of points) {
      if (p[3] > p[1] + p[2]) {
        svg += '<line class="reached" x1="' + x(p[0]) + '" x2="' + x(p[0]) + '" y1="' + y(p[1] + p[2]) +
            '" y2="' + y(p[3]) + '"/>';
      }
    }
    const atPeak = points.find(p => peak > 0 && p[3] >= peak);
    if (atPeak) {
      svg += '<circle class="peak" cx="' + x(atPeak[0]) + '" cy="' + y(atPeak[3]) + '" r="4"/>';
    }
    svg += '<line class="axis" x1="' + L + '" x2="' + L + '" y1="' + T + '" y2="' + (H - B) + '"/>' +
        path('s-total', p => p[1] + p[2]) + path('s-native', p => p[1]) + path('s-managed', p => p[2]) +
        '<line class="cursor" y1="' + T + '" y2="' + (H - B) + '" visibility="hidden"/>' +
        '<rect x="' + L + '" y="' + T + '" width="' + (W - L - R) + '" height="' + (H - T - B) + '" fill="transparent"/></svg>';
    element.innerHTML = svg;

    const svgElement = element.firstChild, cursor = element.querySelector('.cursor'), area = element.querySelector('rect');
    area.onmousemove = event => {
      const box = svgElement.getBoundingClientRect();
      const t = ((event.clientX - box.left) * W / box.width - L) / (W - L - R) * tMax;
      let lo = 0, hi = points.length - 1;  // nearest sample by binary search; samples are in time order
      while (lo < hi) { const mid = (lo + hi) >> 1; if (points[mid][0] < t) lo = mid + 1; else hi = mid; }
      if (lo > 0 && t - points[lo - 1][0] < points[lo][0] - t) lo--;
      const p = points[lo];
      cursor.setAttribute('x1', x(p[0]));
      cursor.setAttribute('x2', x(p[0]));
      cursor.setAttribute('visibility', 'visible');
      showTip(event, p[0] + ' ms\nnative  ' + size(p[1]) + '\nmanaged ' + size(p[2]) + '\ntotal   ' + size(p[1] + p[2]) +
          (p[3] > p[1] + p[2] ? '\nhighest since the previous point ' + size(p[3]) : ''));
    };
    area.onmouseleave = () => { cursor.setAttribute('visibility', 'hidden'); hideTip(); };
  }
  const chart = document.getElementById('timeline-chart');
  if (chart) timeline(chart);
})();
