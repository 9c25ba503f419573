// Appended to a copy of a generated report by ReportInBrowserTests: drives the flame graphs as a
// user would and writes what it saw into a pre element (id selfcheck), one "key=value" a line, for the
// test to read from Chromium's --dump-dom output.
addEventListener('load', () => setTimeout(() => {
  const lines = [];
  const put = (key, value) => lines.push(key + '=' + value);
  const leaks = document.querySelector('.flame[data-weight="leaks"]');
  const frames = () => Array.from(leaks.querySelectorAll('svg g.frame'));
  const rootY = () => {
    const root = frames().find(g => (g.getAttribute('name') || '').startsWith('all: '));
    const m = root && /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(root.getAttribute('transform'));
    return m ? Number(m[2]) : NaN;
  };
  try {
    put('rects', leaks.querySelectorAll('svg g.frame rect').length);
    put('names', frames().map(g => g.getAttribute('name')).join('|'));
    const before = rootY();
    const search = document.getElementById('flame-search');
    search.value = 'fixture_alloc';
    search.dispatchEvent(new Event('input'));
    put('matches', leaks.dataset.matches);
    put('highlighted', frames().filter(g => g.querySelector('rect').getAttribute('fill') === '#e600e6')
        .map(g => g.getAttribute('name')).join('|'));
    put('status', leaks.querySelector('.flame-status').textContent);
    put('rootBelowTop', before > 0);
    document.getElementById('flame-invert').click();
    put('invertedRootAtTop', rootY() === 0);
    put('invertedMatches', leaks.dataset.matches);
    const boundary = frames().find(g => g.getAttribute('name') === 'fixture_alloc');
    put('boundaryFill', boundary ? boundary.querySelector('rect').getAttribute('fill') : 'none');
    search.value = '';
    search.dispatchEvent(new Event('input'));
    const again = frames().find(g => g.getAttribute('name') === 'fixture_alloc');
    put('boundaryFillUnmatched', again ? again.querySelector('rect').getAttribute('fill') : 'none');
    // the timeline dots the stated peak where it was reached, level with the dashed peak line
    const dot = document.querySelector('#timeline-chart circle.peak');
    const line = document.querySelector('#timeline-chart line.peak');
    put('peakDotOnLine', !!dot && !!line && dot.getAttribute('cy') === line.getAttribute('y1'));
  } catch (e) {
    put('selfcheckError', e && e.message);
  }
  const errors = document.getElementById('script-errors');
  put('scriptErrors', errors ? errors.textContent.replace(/\n/g, ' ') : '');
  // the page's error hook is live: an error raised now is written at the top of the page
  dispatchEvent(new ErrorEvent('error', { message: 'probe', filename: 'selfcheck', lineno: 1 }));
  const probe = document.getElementById('script-errors');
  put('probeShown', probe ? probe.textContent.replace(/\n/g, ' ') : '');
  const pre = document.createElement('pre');
  pre.id = 'selfcheck';
  pre.textContent = lines.join('\n');
  document.body.appendChild(pre);
}, 0));
