// SkelStream live view: plain JavaScript, no build step, no external resources.
// Data: server-sent events from /live/events (snapshot on every (re)connect, then device/action/alert updates and,
// for the followed device, poses at most 10/s). Rendering: at most once per animation frame, only what changed.
'use strict';

(function () {
  const TIMELINE_SECONDS = 30;
  const STALE_MS = 10000;
  const RECONNECT_MS = 2000;

  const state = {
    devices: new Map(),      // id -> {device, layout, lastSeen, action, timeline: [], alerts: Map(rule#track -> alert)}
    recentAlerts: [],        // newest last
    selected: decodeURIComponent(location.hash.slice(1)) || null,
    pose: null,              // latest pose of the selected device
    layouts: null,           // name -> {joints, parents, centre}
    yaw: 0, pitch: 0,        // radians, set by dragging
  };
  const dirty = { list: true, focus: true, alerts: true, pose: true };
  const stats = { messages: 0, poses: 0, snapshots: 0, frames: 0, connects: 0 };
  window.__skelstreamLive = { state, stats };   // read by the end-to-end test

  const el = (id) => document.getElementById(id);
  const rows = new Map();  // device -> <tr>
  let source = null;

  // ---- data ---------------------------------------------------------------------------------------------------
  fetch('/live/layouts.json').then((r) => r.json()).then((file) => {
    state.layouts = file.layouts;
    dirty.pose = true;
  }).catch((e) => console.error('layouts.json', e));

  function deviceEntry(id) {
    let d = state.devices.get(id);
    if (!d) {
      d = { device: id, layout: null, lastSeen: 0, action: null, timeline: [], alerts: new Map() };
      state.devices.set(id, d);
    }
    return d;
  }

  function applySnapshot(snap) {
    state.devices.clear();
    for (const d of snap.devices) {
      const entry = deviceEntry(d.device);
      entry.layout = d.layout; entry.lastSeen = d.lastSeen; entry.action = d.action || null;
      entry.timeline = d.timeline || [];
      for (const a of d.alerts || []) entry.alerts.set(a.rule + '#' + a.track, a);
    }
    state.recentAlerts = snap.recentAlerts || [];
    if (snap.pose && snap.pose.device === state.selected) state.pose = snap.pose;
    for (const [id, tr] of rows) if (!state.devices.has(id)) { tr.remove(); rows.delete(id); }
    stats.snapshots++;
    dirty.list = dirty.focus = dirty.alerts = dirty.pose = true;
    if (!state.selected && state.devices.size) select(state.devices.keys().next().value);
  }

  function applyAction(a) {
    const d = deviceEntry(a.device);
    if (!d.action || a.windowEnd >= d.action.windowEnd) d.action = a;
    d.timeline.push(a);
    if (d.timeline.length > 60) d.timeline.shift();
    dirty.list = true;
    if (a.device === state.selected) dirty.focus = true;
  }

  function applyAlert(a) {
    const d = deviceEntry(a.device);
    const key = a.rule + '#' + a.track;
    if (a.state === 'raised') d.alerts.set(key, a); else d.alerts.delete(key);
    state.recentAlerts.push(a);
    if (state.recentAlerts.length > 50) state.recentAlerts.shift();
    dirty.list = dirty.alerts = true;
  }

  function connect() {
    if (source) source.close();
    const url = '/live/events' + (state.selected ? '?device=' + encodeURIComponent(state.selected) : '');
    source = new EventSource(url);
    stats.connects++;
    setConnection('connecting', 'connecting…');
    const on = (type, fn) => source.addEventListener(type, (e) => { stats.messages++; fn(JSON.parse(e.data)); });
    source.onopen = () => setConnection('open', 'live');
    on('snapshot', applySnapshot);
    on('device', (d) => { const e = deviceEntry(d.device); e.layout = d.layout; e.lastSeen = d.lastSeen; dirty.list = true;
      if (!state.selected) select(d.device); });
    on('action', applyAction);
    on('alert', applyAlert);
    on('pose', (p) => {
      if (p.device !== state.selected) return;
      state.pose = p; stats.poses++; dirty.pose = true;
      const d = state.devices.get(p.device); if (d) d.lastSeen = Date.now();
    });
    source.onerror = () => {
      // EventSource retries by itself after a dropped stream (app restart); after an HTTP error it gives up
      setConnection('reconnecting', 'reconnecting…');
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, RECONNECT_MS);
    };
  }

  function select(device) {
    if (device === state.selected && source) return;
    state.selected = device;
    state.pose = null;
    history.replaceState(null, '', '#' + encodeURIComponent(device));
    dirty.list = dirty.focus = dirty.pose = true;
    connect();   // the stream carries the followed device's poses; the new snapshot resyncs everything
  }

  function setConnection(stateName, text) {
    const c = el('connection');
    c.dataset.state = stateName; c.textContent = text;
  }

  // ---- rendering ----------------------------------------------------------------------------------------------
  const palette = ['#4fb3ff', '#3ecf8e', '#f5b942', '#c77dff', '#ff8fa3', '#7ee0d6', '#ffd166', '#a3b1ff',
    '#ff9f5a', '#9be564', '#e07be0', '#62d2f5'];
  const labelColours = new Map();
  function colourOf(label) {
    if (!labelColours.has(label)) {
      let h = 0; for (const ch of label) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
      labelColours.set(label, 'hsl(' + ((h % 360) * 137.508) % 360 + ', 70%, 62%)');   // golden-angle hues
    }
    return labelColours.get(label);
  }
  const pct = (x) => (100 * x).toFixed(0) + '%';

  function renderList() {
    const body = el('devices');
    const now = Date.now();
    for (const d of state.devices.values()) {
      let tr = rows.get(d.device);
      if (!tr) {
        tr = document.createElement('tr');
        tr.dataset.device = d.device;
        tr.innerHTML = '<td class="id"></td><td class="label"></td><td><span class="bar"><i></i></span> ' +
          '<span class="conf"></span></td><td class="alert"></td>';
        tr.addEventListener('click', () => select(d.device));
        rows.set(d.device, tr);
        insertSorted(body, tr, d.device);
        tr.cells[0].textContent = d.device;
      }
      const label = d.action ? d.action.label : '—';
      if (tr.cells[1].textContent !== label) tr.cells[1].textContent = label;
      // the event behind what the row shows, so a reader of the page can match it to skel.actions
      tr.dataset.track = d.action ? d.action.track : '';
      tr.dataset.windowEnd = d.action ? d.action.windowEnd : '';
      const conf = d.action ? d.action.confidence : 0;
      tr.querySelector('.bar > i').style.width = pct(conf);
      tr.querySelector('.conf').textContent = d.action ? pct(conf) : '';
      const n = d.alerts.size;
      tr.cells[3].innerHTML = n ? '<span class="badge">' + n + ' alert' + (n > 1 ? 's' : '') + '</span>' : '';
      tr.classList.toggle('selected', d.device === state.selected);
      // only the followed device's poses reach the page; for the others their latest event says they are alive
      const heard = Math.max(d.lastSeen || 0, d.action ? d.action.emittedAt : 0);
      tr.classList.toggle('stale', now - heard > STALE_MS);
    }
    el('no-devices').hidden = state.devices.size > 0;
    el('counts').textContent = state.devices.size + ' devices';
  }

  function insertSorted(body, tr, id) {
    for (const other of body.children) {
      if (other.dataset.device.localeCompare(id, undefined, { numeric: true }) > 0) { body.insertBefore(tr, other); return; }
    }
    body.appendChild(tr);
  }

  function renderFocus() {
    const d = state.devices.get(state.selected);
    el('selected-device').textContent = state.selected || '—';
    const current = el('current-action');
    current.dataset.device = state.selected || '';
    if (d && d.action) {
      current.textContent = d.action.label + ' · ' + pct(d.action.confidence);
      current.dataset.label = d.action.label;
      current.dataset.windowEnd = d.action.windowEnd;
      current.dataset.track = d.action.track;
    } else {
      current.textContent = '—';
      current.dataset.label = ''; current.dataset.windowEnd = ''; current.dataset.track = '';
    }
  }

  function renderTimeline() {
    const canvas = el('timeline');
    const g = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    g.clearRect(0, 0, w, h);
    const d = state.devices.get(state.selected);
    const legend = el('timeline-legend');
    if (!d || !d.timeline.length) { legend.textContent = ''; return; }
    // time axis ends at the newest window end, so replayed or delayed data still fills it
    const end = Math.max(...d.timeline.map((a) => a.windowEnd));
    const start = end - TIMELINE_SECONDS * 1000;
    const x = (t) => ((t - start) / (end - start)) * (w - 2) + 1;
    g.strokeStyle = '#2a3543';
    g.beginPath(); g.moveTo(0, h - 0.5); g.lineTo(w, h - 0.5); g.stroke();
    // windows overlap (a window every hop); each event owns the time since the previous window end, height =
    // confidence, and the label is written where it changes
    const seen = new Set();
    const events = d.timeline.slice().sort((a, b) => a.windowEnd - b.windowEnd);
    let prevEnd = null, prevLabel = null;
    g.font = '11px sans-serif';
    for (const a of events) {
      const from = prevEnd === null || a.windowEnd - prevEnd > 2000 ? a.windowEnd - 500 : prevEnd;
      prevEnd = a.windowEnd;
      if (a.windowEnd < start) { prevLabel = a.label; continue; }
      const x0 = Math.max(x(from), 0), x1 = x(a.windowEnd);
      const bar = Math.max(2, (h - 18) * a.confidence);
      g.fillStyle = colourOf(a.label);
      g.fillRect(x0, h - bar - 1, Math.max(1, x1 - x0 - 1), bar);
      if (a.label !== prevLabel) g.fillText(a.label, Math.min(x0 + 2, w - g.measureText(a.label).width - 2), 11);
      prevLabel = a.label;
      seen.add(a.label);
    }
    const html = [...seen].map((l) => '<span><i style="background:' + colourOf(l) + '"></i>' + escapeHtml(l) + '</span>');
    legend.innerHTML = html.join('');
  }

  function renderAlerts() {
    const list = el('alerts');
    const items = state.recentAlerts.slice(-30).reverse();
    list.innerHTML = items.map((a) => {
      const t = new Date(a.state === 'raised' ? a.raisedAt : (a.clearedAt || a.raisedAt)).toLocaleTimeString();
      return '<li class="' + a.state + ' ' + a.severity + '" data-device="' + escapeHtml(a.device) + '"><b>' +
        escapeHtml(a.rule) + ' · ' + a.severity + ' · ' + a.state + '</b>' + escapeHtml(a.device) + ' track ' +
        a.track + ' · ' + escapeHtml(a.label) + ' · ' + t + '</li>';
    }).join('');
    el('no-alerts').hidden = items.length > 0;
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }

  // 3D -> 2D: rotate about the body centre (yaw about the vertical axis, then pitch), orthographic, camera y up.
  function renderSkeleton() {
    const canvas = el('skeleton');
    const g = canvas.getContext('2d');
    const w = canvas.width, h = canvas.height;
    g.clearRect(0, 0, w, h);
    drawFloorGrid(g, w, h);
    const p = state.pose;
    const info = el('pose-info');
    if (!p || !state.layouts) { info.textContent = state.selected ? 'waiting for poses…' : ''; return; }
    const layout = state.layouts[p.layout];
    info.textContent = p.layout + ' · ' + p.bodies.length + ' bod' + (p.bodies.length === 1 ? 'y' : 'ies') +
      ' · ' + new Date(p.t).toLocaleTimeString();
    if (!layout) return;
    // one centre for all bodies, so people keep their places relative to each other
    let cx = 0, cy = 0, cz = 0, n = 0;
    for (const b of p.bodies) {
      for (let j = 0; j < b.joints.length; j += 3) {
        if (b.joints[j] || b.joints[j + 1] || b.joints[j + 2]) { cx += b.joints[j]; cy += b.joints[j + 1]; cz += b.joints[j + 2]; n++; }
      }
    }
    if (!n) return;
    cx /= n; cy /= n; cz /= n;
    const cosY = Math.cos(state.yaw), sinY = Math.sin(state.yaw), cosP = Math.cos(state.pitch), sinP = Math.sin(state.pitch);
    const scale = h / 2.6;   // pixels per metre: about 2.6 m fit the height
    const project = (x, y, z) => {
      x -= cx; y -= cy; z -= cz;
      const x1 = x * cosY + z * sinY, z1 = -x * sinY + z * cosY;
      const y2 = y * cosP - z1 * sinP;
      return [w / 2 + x1 * scale, h / 2 - y2 * scale];
    };
    p.bodies.forEach((b, bi) => {
      const pts = [];
      for (let j = 0; j < b.joints.length / 3; j++) {
        const x = b.joints[3 * j], y = b.joints[3 * j + 1], z = b.joints[3 * j + 2];
        pts.push(x || y || z ? project(x, y, z) : null);
      }
      const colour = palette[(b.track >>> 0) % palette.length];
      g.strokeStyle = colour; g.lineWidth = 3; g.lineCap = 'round';
      g.beginPath();
      layout.parents.forEach((parent, j) => {
        if (parent < 0 || !pts[j] || !pts[parent]) return;
        g.moveTo(pts[j][0], pts[j][1]); g.lineTo(pts[parent][0], pts[parent][1]);
      });
      g.stroke();
      g.fillStyle = '#ffffff';
      for (const q of pts) if (q) { g.beginPath(); g.arc(q[0], q[1], 3, 0, 2 * Math.PI); g.fill(); }
      const head = pts.filter(Boolean).reduce((a, q) => (q[1] < a[1] ? q : a), [0, Infinity]);
      g.fillStyle = colour; g.font = '12px sans-serif';
      g.fillText('track ' + b.track, head[0] + 8, head[1] - 8);
      if (bi === 0) stats.frames++;
    });
  }

  function drawFloorGrid(g, w, h) {
    g.strokeStyle = '#1a232e'; g.lineWidth = 1;
    g.beginPath();
    for (let x = 0; x <= w; x += 40) { g.moveTo(x + 0.5, 0); g.lineTo(x + 0.5, h); }
    for (let y = 0; y <= h; y += 40) { g.moveTo(0, y + 0.5); g.lineTo(w, y + 0.5); }
    g.stroke();
  }

  // drag to rotate
  (function enableRotation() {
    const canvas = el('skeleton');
    let last = null;
    canvas.addEventListener('pointerdown', (e) => { last = [e.clientX, e.clientY]; canvas.setPointerCapture(e.pointerId); });
    canvas.addEventListener('pointermove', (e) => {
      if (!last) return;
      state.yaw += (e.clientX - last[0]) * 0.01;
      state.pitch = Math.max(-1.5, Math.min(1.5, state.pitch + (e.clientY - last[1]) * 0.01));
      last = [e.clientX, e.clientY];
      dirty.pose = true;
    });
    const end = () => { last = null; };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('dblclick', () => { state.yaw = 0; state.pitch = 0; dirty.pose = true; });
  })();

  let lastStaleCheck = 0;
  function frame(now) {
    if (now - lastStaleCheck > 1000) { lastStaleCheck = now; dirty.list = true; }
    if (dirty.list) { dirty.list = false; renderList(); }
    if (dirty.focus) { dirty.focus = false; renderFocus(); renderTimeline(); }
    if (dirty.alerts) { dirty.alerts = false; renderAlerts(); }
    if (dirty.pose) { dirty.pose = false; renderSkeleton(); }
    requestAnimationFrame(frame);
  }

  window.addEventListener('hashchange', () => {
    const wanted = decodeURIComponent(location.hash.slice(1));
    if (wanted && wanted !== state.selected) select(wanted);
  });

  connect();
  requestAnimationFrame(frame);
})();
