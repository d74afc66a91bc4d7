// Glimpse live page: plain DOM, no framework, nothing fetched from outside the pipeline.
'use strict';

const MAX_ITEMS = 48;
const MAX_DEAD_LETTERS = 16;
const state = { items: [], deadLetters: [], stats: null, swaps: [], serving: null };

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const pct = (x) => (x === null || x === undefined ? '—' : (100 * x).toFixed(1) + ' %');
const ms = (x) => (x === null || x === undefined ? '—' : x + ' ms');
const time = (t) => (t ? new Date(t).toLocaleString() : '—');
const clock = (t) => new Date(t).toLocaleTimeString();
// Numbered versions read "v3"; named ones ("quick-1") as they are.
const ver = (v) => (/^\d+$/.test(String(v)) ? 'v' + v : String(v));

// ---- live -------------------------------------------------------------------------------

function itemCard(it) {
  const cls = ['item', it.correct === true ? 'right' : '', it.correct === false ? 'wrong' : ''].join(' ');
  const top = (it.topK || []).slice(0, 5);
  const title = top.map((s) => `${s.label} ${(100 * s.probability).toFixed(1)} %`).join('\n');
  const img = it.thumbnail
    ? h('img', { src: it.thumbnail, alt: it.id })
    : h('div', { class: 'thumb-missing', text: 'no image' });
  const bar = h('span');
  bar.style.width = (100 * it.confidence).toFixed(1) + '%';
  let truth = null;
  if (it.trueLabel !== null && it.trueLabel !== undefined) {
    truth = it.correct
      ? h('div', { class: 'truth ok', text: '✓ true label' })
      : h('div', { class: 'truth no', text: '✗ truly ' + it.trueLabel });
  }
  const card = h('div', { class: cls, title: `${it.id}\n${title}`, 'data-id': it.id, 'data-version': it.version },
    img,
    h('div', { class: 'label', text: it.label }),
    h('div', { class: 'bar' }, bar),
    h('div', { class: 'meta' },
      h('span', { text: (100 * it.confidence).toFixed(1) + ' %' }),
      h('span', { class: 'chip version', text: ver(it.version) })),
    truth,
    h('div', { class: 'meta' }, h('span', { text: it.latencyMs + ' ms' }), h('span', { text: clock(it.time) })),
    h('div', { class: 'topk' }, top.map((s) => h('div', {}, h('span', { text: s.label }), h('span', { text: (100 * s.probability).toFixed(1) + ' %' })))));
  card.addEventListener('click', () => card.classList.toggle('open'));
  return card;
}

function renderItems() {
  const grid = document.getElementById('items');
  grid.replaceChildren(...(state.items.length ? state.items.map(itemCard) : [h('p', { class: 'empty', text: 'Waiting for predictions…' })]));
}

function deadLetterRow(d) {
  return h('li', {},
    d.thumbnail ? h('img', { src: d.thumbnail, alt: '' }) : null,
    h('div', {},
      h('div', { class: 'reason', text: d.reason || 'unknown reason' }),
      h('div', { class: 'msg', text: d.message || '' }),
      h('div', { class: 'src', text: `${d.key || '(no key)'} · ${d.source} · ${clock(d.time)}` })));
}

function renderDeadLetters() {
  const list = document.getElementById('dead-letters');
  list.replaceChildren(...(state.deadLetters.length ? state.deadLetters.map(deadLetterRow) : [h('li', { class: 'empty', text: 'None so far.' })]));
}

const SVG = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function drawChart(id, series, max, from, to) {
  const svg = document.querySelector(`#${id} svg`);
  const W = 300, H = 80;
  const x = (t) => ((t - from) / (to - from)) * W;
  const y = (v) => H - 4 - (v / (max || 1)) * (H - 12);
  const children = [];
  series.forEach((s, i) => {
    const pts = s.points.filter((p) => p.v !== null && p.v !== undefined).map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`);
    if (!pts.length) return;
    if (i === 0) children.push(svgEl('polygon', { class: 'area', points: `${pts[0].split(',')[0]},${H} ${pts.join(' ')} ${pts[pts.length - 1].split(',')[0]},${H}` }));
    children.push(svgEl('polyline', { class: 'line ' + (s.cls || ''), points: pts.join(' ') }));
  });
  for (const sw of state.swaps) {
    if (sw.time < from || sw.time > to) continue;
    children.push(svgEl('line', { class: 'swap', x1: x(sw.time), x2: x(sw.time), y1: 0, y2: H }));
    const label = svgEl('text', { class: 'swap-label', x: Math.min(x(sw.time) + 3, W - 30), y: 10 });
    label.textContent = ver(sw.to);
    children.push(label);
  }
  svg.replaceChildren(...children);
}

function renderStats() {
  const s = state.stats;
  if (!s) return;
  document.getElementById('v-rate').textContent = s.ratePerSecond.toFixed(1) + ' /s';
  document.getElementById('v-p50').textContent = ms(s.p50Ms);
  document.getElementById('v-p99').textContent = ms(s.p99Ms);
  document.getElementById('v-accuracy').textContent = pct(s.accuracy);
  document.getElementById('v-labelled').textContent = s.labelled ? `of ${s.labelled} labelled (sampled)` : 'no labels';
  const pts = s.points;
  if (!pts.length) return;
  const from = pts[0].time, to = pts[pts.length - 1].time + 1000;
  const rate = pts.map((p) => ({ t: p.time + 500, v: p.count }));
  drawChart('chart-rate', [{ points: rate }], Math.max(1, ...rate.map((p) => p.v)), from, to);
  const p50 = pts.map((p) => ({ t: p.time + 500, v: p.p50Ms }));
  const p99 = pts.map((p) => ({ t: p.time + 500, v: p.p99Ms }));
  drawChart('chart-latency', [{ points: p50 }, { points: p99, cls: 'p99' }], Math.max(1, ...p99.map((p) => p.v || 0)), from, to);
  const acc = pts.map((p) => ({ t: p.time + 500, v: p.accuracy }));
  drawChart('chart-accuracy', [{ points: acc }], 1, from, to);
}

function renderServing() {
  const el = document.getElementById('serving');
  const s = state.serving;
  if (!s) return;
  const version = s.modelVersion ? `${s.modelName || 'model'} ${ver(s.modelVersion)}` : 'no model served';
  el.textContent = `${version} · ${s.ready ? 'ready' : 'not ready'}`;
  el.className = 'pill ' + (s.ready ? 'ok' : 'bad');
}

// A browser's EventSource retries by itself after a dropped connection, but gives up for good
// after an answer other than 200 (a 503 once the pipeline's 8 pages are open): then the page opens
// a new one itself, 5 s later, doubling to 30 s while it keeps being refused.
const RETRY_FIRST_MS = 5000;
const RETRY_MAX_MS = 30000;
let retryMs = RETRY_FIRST_MS;

function connect() {
  const conn = document.getElementById('connection');
  const events = new EventSource('/events');
  events.addEventListener('open', () => { retryMs = RETRY_FIRST_MS; conn.textContent = 'live'; conn.className = 'pill ok'; });
  events.addEventListener('error', () => {
    if (events.readyState !== EventSource.CLOSED) {
      conn.textContent = 'reconnecting…'; conn.className = 'pill muted';
      return;
    }
    const wait = retryMs;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    conn.textContent = `not connected: the pipeline serves at most 8 open pages; retrying in ${wait / 1000} s`;
    conn.className = 'pill bad';
    setTimeout(connect, wait);
  });
  events.addEventListener('snapshot', (e) => {
    const d = JSON.parse(e.data);
    state.items = d.items; state.deadLetters = d.deadLetters; state.stats = d.stats;
    state.swaps = d.swaps; state.serving = d.serving;
    renderItems(); renderDeadLetters(); renderStats(); renderServing();
  });
  events.addEventListener('item', (e) => {
    const it = JSON.parse(e.data);
    state.items.unshift(it);
    state.items.length = Math.min(state.items.length, MAX_ITEMS);
    const grid = document.getElementById('items');
    if (grid.querySelector('.empty')) grid.replaceChildren();
    grid.prepend(itemCard(it));
    while (grid.children.length > MAX_ITEMS) grid.lastChild.remove();
  });
  events.addEventListener('deadletter', (e) => {
    state.deadLetters.unshift(JSON.parse(e.data));
    state.deadLetters.length = Math.min(state.deadLetters.length, MAX_DEAD_LETTERS);
    renderDeadLetters();
  });
  events.addEventListener('stats', (e) => {
    const d = JSON.parse(e.data);
    state.stats = d.stats; state.swaps = d.swaps;
    if (d.serving) state.serving = d.serving;
    renderStats(); renderServing();
  });
  events.addEventListener('swap', (e) => { state.swaps.unshift(JSON.parse(e.data)); renderStats(); });
}

// ---- models -----------------------------------------------------------------------------

function metricsText(m) {
  return Object.entries(m || {}).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(', ');
}

function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map((x) => h('th', { text: x })))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => (c instanceof Node ? h('td', {}, c) : h('td', { text: c ?? '—' })))))));
}

function modelCard(m) {
  const d = m.deployment;
  const served = new Set(m.instances.map((i) => i.servedVersion));
  const deployed = d
    ? h('p', { class: 'deployed' }, 'Deployed: ', h('b', { class: 'deployed-version', text: ver(d.version) }),
        d.pinned ? h('span', { class: 'badge pinned', text: 'pinned' }) : null,
        ` — “${d.reason}” ${d.deployedBy ? 'by ' + d.deployedBy + ' ' : ''}at ${time(d.deployedTime)}`)
    : h('p', { class: 'deployed empty', text: 'Nothing deployed.' });
  const instances = m.instances.length
    ? table(['Instance', 'Desired', 'Served', 'Since', 'Last refusal'], m.instances.map((i) => [
        `${i.application}/${i.instance}`, i.desiredVersion, i.servedVersion, time(i.servedSince),
        i.lastRefusal ? h('span', {}, h('span', { class: 'badge refused', text: ver(i.lastRefusal.version) }), ' ' + i.lastRefusal.reason + ' (' + time(i.lastRefusal.refusedTime) + ')') : '—']))
    : h('p', { class: 'empty', text: 'No pipeline instance has reported yet.' });
  const acc = m.onlineAccuracy || {};
  const versions = m.versions.length
    ? table(['Version', 'Format', 'Architecture', 'Input', 'Created', 'Metrics', 'Online accuracy'], m.versions.map((v) => [
        h('span', {}, ver(v.version), d && d.version === v.version ? h('span', { class: 'badge serving', text: served.has(v.version) ? 'serving' : 'deployed' }) : null),
        v.format, `${v.architecture} ×${v.widthMultiplier}`, `${v.input}, ${v.classes} classes`, time(v.createdTime), metricsText(v.metrics),
        acc[v.version] ? `${pct(acc[v.version].accuracy)} of ${acc[v.version].labelled}` : '—']))
    : h('p', { class: 'empty', text: 'No version registered on model-versions (a pinned artifact is not registered).' });
  const historyRows = d ? [[ver(d.version), d.reason, time(d.deployedTime), 'current']].concat(d.history.map((e) => [ver(e.version), e.reason, time(e.deployedTime), ''])) : [];
  const history = historyRows.length ? table(['Version', 'Reason', 'Deployed', ''], historyRows) : h('p', { class: 'empty', text: 'No deployment yet.' });
  const comparisons = m.comparisons.length
    ? table(['Candidate', 'Baseline', 'Images', 'Agreement', 'Accuracy (cand. / base)', 'p99 ms (cand. / base)', 'Decision', 'When'], m.comparisons.map((c) => [
        ver(c.candidate), ver(c.baseline), c.imagesCompared, pct(c.agreement), `${pct(c.candidateAccuracy)} / ${pct(c.baselineAccuracy)}`,
        `${c.candidateP99Ms} / ${c.baselineP99Ms}`, c.decision ? `${c.decision}${c.decisionReason ? ': ' + c.decisionReason : ''}` : '—', time(c.comparedTime)]))
    : h('p', { class: 'empty', text: 'No comparison yet (glimpse models shadow / evaluate).' });
  const commands = h('div', { class: 'commands' },
    h('div', { text: 'This page is read-only. To change what is served, run:' }),
    h('code', { text: `glimpse models promote ${m.name} <version>` }),
    h('code', { text: `glimpse models rollback ${m.name}` }),
    h('code', { text: `glimpse models pin ${m.name} <version>   ·   glimpse models unpin ${m.name}` }));
  return h('div', { class: 'model', 'data-model': m.name },
    h('h2', { text: m.name }), deployed,
    h('h3', { text: 'Pipeline instances' }), instances,
    h('h3', { text: 'Versions' }), versions,
    h('h3', { text: 'Deployment history' }, h('small', { text: 'newest first' })), history,
    h('h3', { text: 'Comparisons' }), comparisons,
    h('h3', { text: 'Promote or roll back' }), commands);
}

async function loadModels() {
  const body = document.getElementById('models-body');
  try {
    const res = await fetch('/api/models', { cache: 'no-store' });
    const d = await res.json();
    if (d.error) body.replaceChildren(h('p', { class: 'empty', text: 'Could not read the lifecycle topics: ' + d.error }));
    else if (d.loading) {
      body.replaceChildren(h('p', { class: 'empty', text: 'Reading the lifecycle topics…' }));
      if (location.hash === '#models') setTimeout(loadModels, 1000);
    } else {
      // The server answers from its last read; say so when Kafka could not be read since.
      const stale = d.unavailable
        ? [h('p', { class: 'empty', text: `As read ${Math.round(d.ageMs / 1000)} s ago; the lifecycle topics are ${d.unavailable}` })]
        : [];
      if (!d.models.length) body.replaceChildren(...stale, h('p', { class: 'empty', text: 'No model registered or deployed yet.' }));
      else body.replaceChildren(...stale, ...d.models.map(modelCard));
    }
  } catch (e) {
    body.replaceChildren(h('p', { class: 'empty', text: 'Could not reach the pipeline: ' + e }));
  }
}

// ---- tabs -------------------------------------------------------------------------------

let modelsTimer = null;
function route() {
  const models = location.hash === '#models';
  document.getElementById('live').hidden = models;
  document.getElementById('models').hidden = !models;
  document.getElementById('tab-live').classList.toggle('active', !models);
  document.getElementById('tab-models').classList.toggle('active', models);
  clearInterval(modelsTimer);
  if (models) { loadModels(); modelsTimer = setInterval(loadModels, 5000); }
}

window.addEventListener('hashchange', route);
route();
connect();
