'use strict';
// The clusterchecks dashboard: one snapshot per server-sent event, rendered in place.
// The token is sent once to /api/v1/dashboard/session and forgotten; the session is an
// HttpOnly cookie the browser sends with the event stream and the actions.
(function () {
  const $ = (id) => document.getElementById(id);
  const API = '/api/v1/dashboard';
  const MAX_CHECK_ROWS = 500;
  let source = null;
  let snap = null;
  let clockOffset = 0;           // server time minus browser time, from the last snapshot
  let access = 'read_only';
  let chart = null;
  let chartNames = '';
  let proposed = null;           // the last dry run's moves, for "apply"
  const runnerRows = new Map();  // runner name -> {tr, cells, last values}
  let runnerOrder = '';
  let sort = { key: 'name', dir: 1 };

  // ------------------------------------------------------------ session

  async function start() {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', logout);
    $('check-search').addEventListener('input', () => snap && renderChecks(snap));
    $('dry-run').addEventListener('click', () => rebalance(true));
    $('apply').addEventListener('click', () => rebalance(false));
    $('isolate').addEventListener('click', () => isolate($('isolate-id').value.trim()));
    $('checks').addEventListener('click', (e) => {
      const b = e.target.closest('button[data-isolate]');
      if (b) { $('isolate-id').value = b.dataset.isolate; isolate(b.dataset.isolate); }
    });
    document.querySelectorAll('#runners th[data-sort]').forEach((th) => th.addEventListener('click', () => {
      sort = { key: th.dataset.sort, dir: sort.key === th.dataset.sort ? -sort.dir : 1 };
      runnerOrder = '';
      if (snap) renderRunners(snap);
    }));
    setInterval(refreshAges, 1000);
    const r = await fetch(API + '/session', { credentials: 'same-origin' });
    if (r.ok) { access = (await r.json()).access; showApp(); } else { showLogin(''); }
  }

  async function login(e) {
    e.preventDefault();
    const token = $('token').value;
    $('token').value = '';
    const r = await fetch(API + '/session', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token: token }),
    });
    if (!r.ok) { showLogin((await r.text()).trim()); return; }
    access = (await r.json()).access;
    showApp();
  }

  async function logout() {
    if (source) source.close();
    await fetch(API + '/session', { method: 'DELETE', credentials: 'same-origin' });
    showLogin('');
  }

  function showLogin(message) {
    if (source) { source.close(); source = null; }
    $('app').hidden = true; $('logout').hidden = true; $('login').hidden = false;
    $('login-error').textContent = message;
    setConnection(false);
  }

  function showApp() {
    $('login').hidden = true; $('app').hidden = false; $('logout').hidden = false;
    document.querySelectorAll('button.act').forEach((b) => { b.disabled = access !== 'full'; });
    $('apply').disabled = true;
    connect();
  }

  function connect() {
    if (source) source.close();
    source = new EventSource(API + '/events');
    source.addEventListener('snapshot', (ev) => { setConnection(true); render(JSON.parse(ev.data)); });
    source.onerror = async () => {
      setConnection(false);
      if (source.readyState !== EventSource.CLOSED) return; // the browser reconnects by itself
      const r = await fetch(API + '/session', { credentials: 'same-origin' });
      if (r.status === 401) showLogin('The session ended; sign in again.');
      else setTimeout(connect, 2000);
    };
  }

  function setConnection(live) {
    $('connection').textContent = live ? 'live' : 'reconnecting';
    $('connection').className = live ? 'conn live' : 'conn';
  }

  // ------------------------------------------------------------ rendering

  function render(s) {
    snap = s;
    clockOffset = s.generatedAtMillis - Date.now();
    renderLeadership(s);
    renderFleet(s);
    renderRunners(s);
    renderChecks(s);
    renderTable('unassigned', s.unassigned, (u) => [u.checkName + ':' + u.digest, u.source, u.reason]);
    $('unassigned-count').textContent = s.unassignedTotal + ' config' + (s.unassignedTotal === 1 ? '' : 's');
    renderTable('problems', s.problems, (p) => [p.entity, p.message]);
    $('problems-count').textContent = s.problems.length ? s.problems.length + '' : 'none';
    renderTimeline(s.events);
    renderChart(s.history);
  }

  function renderLeadership(s) {
    const l = s.leadership;
    const pills = [[l.role, l.role], ['leader ' + (l.leader || 'unknown'), '']];
    if (l.warmup) pills.push(['warming up', 'warmup']);
    if (l.notRunning) pills.push([l.notRunning, 'unknown']);
    pills.push(['since ' + ago(l.sinceMillis), 'since']);
    const box = $('leadership');
    box.textContent = '';
    for (const [text, cls] of pills) {
      const span = el('span', 'pill ' + cls, text);
      if (cls === 'since') span.dataset.since = l.sinceMillis;
      box.appendChild(span);
    }
  }

  function renderFleet(s) {
    const f = s.fleet;
    const types = Object.entries(f.nodeTypes).map(([k, v]) => v + ' ' + k).join(', ') || 'none';
    const cards = [
      ['fleet-runners', f.runners, 'runners (' + types + ')'],
      ['fleet-configs', f.configs, 'configs'],
      ['fleet-dispatched', f.dispatched, 'dispatched'],
      ['fleet-dangling', f.dangling, 'unassigned (' + f.unscheduled + ' unscheduled)'],
      ['fleet-mean', f.loadAware ? pct(f.meanUtilization) : 'n/a', 'mean utilization'],
      ['fleet-band', pct(f.band.fillBelow) + ' - ' + pct(f.band.trigger), 'band, of the mean'],
      ['fleet-endpoints', f.endpointsChecks, 'endpoints checks'],
    ];
    const box = $('fleet');
    if (!box.children.length) {
      for (const [id] of cards) {
        const c = el('div', 'card', '');
        c.id = id;
        c.appendChild(el('b', '', ''));
        c.appendChild(el('span', '', ''));
        box.appendChild(c);
      }
    }
    for (const [id, value, label] of cards) {
      setText($(id).firstChild, String(value));
      setText($(id).lastChild, label);
    }
  }

  function renderRunners(s) {
    const tbody = document.querySelector('#runners tbody');
    const f = s.fleet;
    const mean = f.meanUtilization;
    const maxUtil = Math.max(0.0001, mean * f.band.trigger * 1.15, ...s.runners.map((r) => r.utilization || 0));
    const maxConfigs = Math.max(1, ...s.runners.map((r) => r.configs));
    const seen = new Set();
    for (const r of s.runners) {
      seen.add(r.name);
      let row = runnerRows.get(r.name);
      if (!row) { row = newRunnerRow(r.name); runnerRows.set(r.name, row); }
      row.data = r;
      const known = r.utilization !== null && r.utilization !== undefined;
      const scale = known ? maxUtil : maxConfigs;
      const value = known ? r.utilization : r.configs;
      row.fill.style.width = (100 * value / scale).toFixed(2) + '%';
      let cls = 'fill count';
      if (known) {
        cls = 'fill';
        if (mean > 0 && value > mean * f.band.trigger) cls += ' over';
        else if (mean > 0 && value < mean * f.band.fillBelow) cls += ' under';
      }
      if (row.fill.className !== cls) row.fill.className = cls;
      row.band.hidden = !known || mean <= 0;
      row.mean.hidden = !known || mean <= 0;
      if (known && mean > 0) {
        row.band.style.left = (100 * mean * f.band.fillBelow / maxUtil).toFixed(2) + '%';
        row.band.style.width = (100 * mean * (f.band.trigger - f.band.fillBelow) / maxUtil).toFixed(2) + '%';
        row.mean.style.left = (100 * mean / maxUtil).toFixed(2) + '%';
      }
      setText(row.cells.value, known ? pct(r.utilization) + (mean > 0 ? ' (' + (r.utilization / mean).toFixed(2) + 'x)' : '') : 'n/a');
      setText(row.cells.configs, String(r.configs));
      setText(row.cells.type, r.nodeType);
      row.tr.dataset.configs = r.configs;
      row.tr.dataset.utilization = known ? r.utilization : '';
    }
    for (const [name, row] of runnerRows) {
      if (!seen.has(name)) { row.tr.remove(); runnerRows.delete(name); }
    }
    const ordered = [...runnerRows.values()].sort(compareRunners);
    const order = ordered.map((r) => r.data.name).join('\n');
    if (order !== runnerOrder) {
      runnerOrder = order;
      const frag = document.createDocumentFragment();
      ordered.forEach((r) => frag.appendChild(r.tr));
      tbody.appendChild(frag);
    }
    document.querySelectorAll('#runners th[data-sort]').forEach((th) => {
      th.classList.toggle('sorted', th.dataset.sort === sort.key);
      th.classList.toggle('asc', sort.dir < 0);
    });
    refreshAges();
  }

  function newRunnerRow(name) {
    const tr = document.createElement('tr');
    tr.dataset.runner = name;
    const cells = {};
    for (const k of ['name', 'bar', 'value', 'configs', 'type', 'heartbeat', 'stats']) {
      cells[k] = document.createElement('td');
      cells[k].className = 'r-' + k;
      tr.appendChild(cells[k]);
    }
    cells.name.textContent = name;
    const bar = el('div', 'bar', '');
    const band = el('div', 'band', '');
    const fill = el('div', 'fill', '');
    const mean = el('div', 'mean', '');
    bar.append(band, fill, mean);
    cells.bar.appendChild(bar);
    return { tr, cells, band, fill, mean, data: null };
  }

  function compareRunners(a, b) {
    const x = a.data[sort.key];
    const y = b.data[sort.key];
    const nx = x === null || x === undefined;
    const ny = y === null || y === undefined;
    if (nx !== ny) return nx ? 1 : -1; // unknown values last, whatever the direction
    let c = 0;
    if (!nx) c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return c !== 0 ? c * sort.dir : a.data.name.localeCompare(b.data.name);
  }

  /** Ages change every second without a new snapshot: recompute only their text. */
  function refreshAges() {
    for (const row of runnerRows.values()) {
      const r = row.data;
      setText(row.cells.heartbeat, r.lastHeartbeatMillis ? ago(r.lastHeartbeatMillis) : 'not seen here');
      setText(row.cells.stats, r.statsAtMillis ? ago(r.statsAtMillis) : 'none');
      const stale = r.statsAtMillis && serverNow() - r.statsAtMillis > 120000;
      row.cells.stats.classList.toggle('stale', !!stale);
    }
    const since = document.querySelector('#leadership [data-since]');
    if (since) since.textContent = 'since ' + ago(Number(since.dataset.since));
  }

  function renderChecks(s) {
    const q = $('check-search').value.trim().toLowerCase();
    const match = (c) => !q || [c.checkName, c.source, c.runner, c.digest, ...c.checkIds]
      .some((v) => v && v.toLowerCase().includes(q));
    const rows = s.checks.filter(match);
    const shown = rows.slice(0, MAX_CHECK_ROWS);
    const tbody = document.querySelector('#checks tbody');
    const frag = document.createDocumentFragment();
    for (const c of shown) {
      const tr = document.createElement('tr');
      tr.dataset.digest = c.digest;
      tr.appendChild(el('td', '', c.checkName));
      tr.appendChild(el('td', '', c.source));
      tr.appendChild(el('td', '', c.checkIds.join(' ')));
      tr.appendChild(el('td', '', c.runner || 'unassigned'));
      tr.appendChild(el('td', '', c.avgExecutionMs === null ? '' : c.avgExecutionMs + ' ms'));
      tr.appendChild(el('td', c.lastStatus.startsWith('error') ? 'error' : '', c.lastStatus));
      const inst = el('td', 'instance', c.instance.replace(/\n/g, ' \u21b5 '));
      inst.title = c.instance;
      tr.appendChild(inst);
      const td = document.createElement('td');
      if (c.runner && access === 'full') {
        const b = el('button', 'small', 'isolate');
        b.type = 'button';
        b.dataset.isolate = c.digest;
        td.appendChild(b);
      }
      tr.appendChild(td);
      frag.appendChild(tr);
    }
    tbody.replaceChildren(frag);
    let count = rows.length + ' of ' + s.checksTotal + ' configs';
    if (rows.length > shown.length) count += ', showing the first ' + shown.length + ': refine the search';
    if (s.checks.length < s.checksTotal) count += ' (the agent sends the first ' + s.checks.length + ')';
    $('checks-count').textContent = count;
  }

  function renderTable(id, items, cells) {
    const frag = document.createDocumentFragment();
    for (const item of items) {
      const tr = document.createElement('tr');
      for (const text of cells(item)) tr.appendChild(el('td', '', text));
      frag.appendChild(tr);
    }
    document.querySelector('#' + id + ' tbody').replaceChildren(frag);
  }

  function renderTimeline(events) {
    const frag = document.createDocumentFragment();
    for (const e of events) {
      const li = document.createElement('li');
      li.dataset.kind = e.kind;
      const t = document.createElement('time');
      t.textContent = new Date(e.atMillis).toLocaleTimeString();
      li.append(t, el('span', 'kind', e.kind), document.createTextNode(e.text));
      frag.appendChild(li);
    }
    $('timeline').replaceChildren(frag);
  }

  function renderChart(h) {
    if (typeof uPlot === 'undefined' || !h || !h.times.length) return;
    const data = [h.times, ...h.values];
    $('chart').dataset.points = h.times.length;
    const names = h.names.join('\n');
    if (!chart || names !== chartNames) {
      if (chart) chart.destroy();
      chartNames = names;
      const series = [{}].concat(h.names.map((n, i) => ({
        label: n, stroke: i === 0 ? '#1d2330' : 'hsl(' + ((i * 47) % 360) + ',65%,45%)',
        width: i === 0 ? 2.5 : 1.2, dash: i === 0 ? [6, 4] : undefined,
        value: (u, v) => (v === null || v === undefined ? '-' : pct(v)),
      })));
      chart = new uPlot({
        width: Math.max(400, $('chart').clientWidth || 900), height: 240, series: series,
        axes: [{}, { size: 64, values: (u, vals) => vals.map((v) => pct(v)) }],
        scales: { x: { time: true } },
      }, data, $('chart'));
    } else {
      chart.setData(data);
    }
  }

  // ------------------------------------------------------------ actions

  async function post(path, body) {
    const r = await fetch(API + path, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Clusterchecks-Dashboard': '1' },
      body: JSON.stringify(body),
    });
    if (r.status === 401) { showLogin('The session ended; sign in again.'); throw new Error('signed out'); }
    if (!r.ok) throw new Error((await r.text()).trim());
    return r.json();
  }

  async function rebalance(dryRun) {
    const out = $('rebalance-result');
    try {
      const r = await post('/rebalance', { dry_run: dryRun, force: $('force').checked });
      renderTable('moves', r.moves, (m) => [m.checkName + ':' + m.digest, m.from, m.to, m.load.toFixed(3)]);
      const figures = 'busiest ' + r.before.maxOverMean.toFixed(2) + 'x the mean, after ' + r.after.maxOverMean.toFixed(2) + 'x';
      if (dryRun) {
        proposed = r.moves;
        out.textContent = r.moves.length + ' move(s) proposed; ' + figures + (r.reason ? ' (' + r.reason + ')' : '');
        $('apply').disabled = r.moves.length === 0 || access !== 'full';
      } else {
        proposed = null;
        $('apply').disabled = true;
        out.textContent = r.applied ? r.moves.length + ' move(s) applied; ' + figures : 'nothing applied: ' + r.reason;
      }
      out.dataset.state = dryRun ? 'dry-run' : (r.applied ? 'applied' : 'none');
    } catch (e) {
      out.textContent = e.message;
      out.dataset.state = 'error';
    }
  }

  async function isolate(checkId) {
    const out = $('isolate-result');
    if (!checkId) { out.textContent = 'enter a check ID or a config digest'; return; }
    try {
      const r = await post('/isolate', { check_id: checkId });
      out.textContent = r.is_isolated ? r.check_id + ' is alone on ' + r.check_node : 'not isolated: ' + r.reason;
    } catch (e) {
      out.textContent = e.message;
    }
  }

  // ------------------------------------------------------------ helpers

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function serverNow() { return Date.now() + clockOffset; }

  function ago(ms) {
    let s = Math.max(0, Math.round((serverNow() - ms) / 1000));
    if (s < 60) return s + ' s ago';
    const m = Math.floor(s / 60); s %= 60;
    if (m < 60) return m + ' min ' + s + ' s ago';
    return Math.floor(m / 60) + ' h ' + (m % 60) + ' min ago';
  }

  function pct(v) { return (100 * v).toFixed(1) + '%'; }

  start();
}());
