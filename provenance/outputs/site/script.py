"""The site's own script (assets/site.js) and the search page's loader: written here, no
third-party code. The drawings get pan (drag), zoom (wheel, buttons) and filters (check boxes
that hide edge and node classes, a box that highlights nodes by name); the search page loads
its index shards (`search/index-N.js`, JSON wrapped in one call so that it loads from
`file://` too) and lists matches, built with `textContent` only.
"""

SITE_JS = r"""
(function () {
  'use strict';
  function drawing(box) {
    var svg = box.querySelector('svg');
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var vb = svg.viewBox.baseVal;
    var home = [vb.x, vb.y, vb.width, vb.height];
    function scale() { return home[2] / vb.width; }
    function mark() {
      box.setAttribute('data-scale', scale().toFixed(3));
      box.classList.toggle('zoomed', scale() > 1.8);
    }
    function zoom(f, cx, cy) {
      var w = vb.width / f, h = vb.height / f;
      if (w < home[2] / 40 || w > home[2] * 4) { return; }
      vb.x = cx - (cx - vb.x) / f; vb.y = cy - (cy - vb.y) / f;
      vb.width = w; vb.height = h; mark();
    }
    function point(ev) {
      var r = svg.getBoundingClientRect();
      var s = Math.max(vb.width / r.width, vb.height / r.height);
      var ox = (r.width * s - vb.width) / 2, oy = (r.height * s - vb.height) / 2;
      return [vb.x - ox + (ev.clientX - r.left) * s, vb.y - oy + (ev.clientY - r.top) * s, s];
    }
    svg.addEventListener('wheel', function (ev) {
      ev.preventDefault();
      var p = point(ev); zoom(ev.deltaY < 0 ? 1.25 : 0.8, p[0], p[1]);
    }, {passive: false});
    var drag = null;
    svg.addEventListener('pointerdown', function (ev) {
      if (ev.target.closest && ev.target.closest('a')) { return; }
      drag = [ev.clientX, ev.clientY, point(ev)[2]];
      svg.setPointerCapture(ev.pointerId);
    });
    svg.addEventListener('pointermove', function (ev) {
      if (!drag) { return; }
      vb.x -= (ev.clientX - drag[0]) * drag[2]; vb.y -= (ev.clientY - drag[1]) * drag[2];
      drag[0] = ev.clientX; drag[1] = ev.clientY;
    });
    svg.addEventListener('pointerup', function () { drag = null; });
    box.querySelectorAll('button[data-zoom]').forEach(function (b) {
      b.addEventListener('click', function () {
        var how = b.getAttribute('data-zoom');
        if (how === 'reset') {
          vb.x = home[0]; vb.y = home[1]; vb.width = home[2]; vb.height = home[3]; mark();
        } else {
          zoom(how === 'in' ? 1.5 : 1 / 1.5, vb.x + vb.width / 2, vb.y + vb.height / 2);
        }
      });
    });
    box.querySelectorAll('input[data-hide]').forEach(function (c) {
      function apply() { box.classList.toggle('hide-' + c.getAttribute('data-hide'), !c.checked); }
      c.addEventListener('change', apply); apply();
    });
    var find = box.querySelector('input[data-find]');
    if (find) {
      find.addEventListener('input', function () {
        var q = find.value.trim().toLowerCase();
        svg.querySelectorAll('g.node').forEach(function (n) {
          var hit = q && (n.getAttribute('data-name') || '').indexOf(q) >= 0;
          n.classList.toggle('hit', !!hit);
          n.classList.toggle('dim', !!q && !hit);
        });
      });
    }
    mark();
  }
  document.querySelectorAll('.drawing').forEach(drawing);
  document.body.setAttribute('data-ready', 'yes');
})();
"""

SEARCH_JS = r"""
(function () {
  'use strict';
  var entries = [], shards = parseInt(document.body.getAttribute('data-shards'), 10) || 0;
  var loaded = 0, box = document.getElementById('q'), out = document.getElementById('results');
  var note = document.getElementById('note');
  window.provenanceSearch = function (rows) {
    rows.forEach(function (r) { r.push((r[1] + ' ' + r[2]).toLowerCase()); entries.push(r); });
  };
  function load(i) {
    if (i >= shards) { note.textContent = entries.length + ' entries'; run(); return; }
    var s = document.createElement('script');
    s.src = 'search/index-' + i + '.js';
    s.onload = function () { loaded = i + 1; load(i + 1); };
    s.onerror = function () { note.textContent = 'search index ' + i + ' missing'; };
    document.head.appendChild(s);
  }
  function run() {
    var terms = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    while (out.firstChild) { out.removeChild(out.firstChild); }
    if (!terms.length) { return; }
    var shown = 0, total = 0;
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], hay = e[4];
      var ok = terms.every(function (t) { return hay.indexOf(t) >= 0; });
      if (!ok) { continue; }
      total += 1;
      if (shown >= 200) { continue; }
      var li = document.createElement('li'), a = document.createElement('a');
      var kind = document.createElement('span');
      kind.className = 'badge kind'; kind.textContent = e[0];
      a.href = e[3]; a.textContent = e[1] || '(untitled)';
      var sub = document.createElement('span');
      sub.className = 'meta'; sub.textContent = ' ' + e[2];
      li.appendChild(kind); li.appendChild(document.createTextNode(' '));
      li.appendChild(a); li.appendChild(sub); out.appendChild(li); shown += 1;
    }
    note.textContent = total + ' of ' + entries.length + ' entries match' +
      (total > shown ? ' (first ' + shown + ' shown)' : '');
    document.body.setAttribute('data-results', String(total));
  }
  box.addEventListener('input', run);
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) { box.value = q; }
  load(0);
})();
"""
