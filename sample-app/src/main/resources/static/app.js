// The sample's page: polls the Actuator endpoint, the health and the app's stats once a second and draws
// them. Plain JavaScript and hand-written SVG, so the page works offline.
'use strict';

const POLL_MS = 1000;
const WINDOW_MS = 120_000;
const SVG = 'http://www.w3.org/2000/svg';

const state = { sockets: new Map(), endpointState: null, firstPoll: true };

const $ = (selector) => document.querySelector(selector);

// every state change of the managed endpoints, live (server-sent events from /api/events): nothing is
// missed between two polls
function watchEndpointStates() {
  const source = new EventSource('api/events');
  source.addEventListener('state', (message) => {
    const t = JSON.parse(message.data);
    event('endpoint ' + t.endpoint + ': ' + t.previous + ' → ' + t.state + (t.cause ? ' (' + t.cause + ')' : ''));
  });
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store', headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok && !(body && body.status)) {
    throw new Error(url + ' answered ' + response.status);
  }
  return body;
}

function event(text) {
  const item = document.createElement('li');
  const time = document.createElement('time');
  time.textContent = new Date().toLocaleTimeString();
  item.append(time, text);
  $('#events').prepend(item);
  while ($('#events').children.length > 50) {
    $('#events').lastChild.remove();
  }
}

function bytes(n) {
  if (n < 1024) return Math.round(n) + ' B';
  if (n < 1024 * 1024) return (n / 1024).toFixed(1) + ' KiB';
  return (n / 1024 / 1024).toFixed(1) + ' MiB';
}

function age(iso) {
  if (!iso) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function cell(row, content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  if (content instanceof Node) td.append(content); else td.textContent = content;
  row.append(td);
  return td;
}

function address(host, port) {
  return port >= 0 ? (host && host.includes(':') ? '[' + host + ']' : host) + ':' + port : host;
}

// ---- sockets -------------------------------------------------------------------------------------------

function renderSockets(sockets) {
  const body = $('#sockets tbody');
  body.replaceChildren();
  const seen = new Set();
  for (const socket of sockets) {
    seen.add(socket.id);
    const isNew = !state.sockets.has(socket.id);
    if (isNew && !state.firstPoll) {
      event('socket ' + socket.id + ' opened: ' + address(socket.localAddress, socket.localPort) + ' → '
        + address(socket.remoteAddress, socket.remotePort)
        + (socket.tls ? ', ' + socket.tls.version + ' ' + socket.tls.cipher : ', plain TCP'));
    }
    state.sockets.set(socket.id, socket);
    const row = document.createElement('tr');
    row.dataset.socketId = socket.id;
    if (isNew && !state.firstPoll) row.className = 'fresh';
    cell(row, socket.id, 'mono socket-id');
    cell(row, socket.endpoint ?? '(none)');
    cell(row, address(socket.localAddress, socket.localPort) + ' → ' + address(socket.remoteAddress, socket.remotePort), 'mono');
    const readyState = document.createElement('span');
    readyState.className = 'state ' + socket.readyState;
    readyState.textContent = socket.readyState;
    cell(row, readyState);
    const tls = document.createElement('span');
    if (socket.tls) {
      const version = document.createElement('span');
      version.className = 'tls';
      version.textContent = socket.tls.version;
      const cipher = document.createElement('span');
      cipher.className = 'mono';
      cipher.textContent = socket.tls.cipher + (socket.tls.authorized ? '' : ' (not authorized)');
      tls.append(version, cipher);
    } else {
      tls.className = 'tls none';
      tls.textContent = 'plain';
    }
    cell(row, tls, 'socket-tls');
    cell(row, bytes(socket.bytesWritten), 'num');
    cell(row, bytes(socket.bytesRead), 'num');
    cell(row, age(socket.openedAt));
    const close = document.createElement('button');
    close.className = 'danger close-socket';
    close.dataset.socketId = socket.id;
    close.textContent = 'Close';
    close.title = 'DELETE /actuator/sockets/' + socket.id;
    close.addEventListener('click', () => closeSocket(socket.id, close));
    cell(row, close, 'num');
    body.append(row);
  }
  for (const id of [...state.sockets.keys()]) {
    if (!seen.has(id)) {
      state.sockets.delete(id);
      event('socket ' + id + ' closed');
    }
  }
  $('#no-sockets').hidden = sockets.length > 0;
  $('#sockets-updated').textContent = 'updated ' + new Date().toLocaleTimeString();
}

async function closeSocket(id, button) {
  button.disabled = true;
  try {
    const response = await fetch('actuator/sockets/' + encodeURIComponent(id), { method: 'DELETE' });
    event(response.ok ? 'asked socket ' + id + ' to close (DELETE /actuator/sockets/' + id + ')'
      : 'could not close socket ' + id + ': HTTP ' + response.status);
  } catch (failure) {
    event('could not close socket ' + id + ': ' + failure.message);
  }
  poll();
}

// ---- charts --------------------------------------------------------------------------------------------

function niceMax(value) {
  if (!(value > 0)) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 4, 6, 8, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function svg(name, attributes, text) {
  const element = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

/** Draws series of {at, value} points over the last two minutes; each series: {points, color, line, dashed, dots}. */
function drawChart(chart, series, format) {
  const width = 600, height = 220, left = 58, right = 10, top = 10, bottom = 24;
  const now = Date.now(), from = now - WINDOW_MS;
  const visible = series.map((s) => ({ ...s, points: s.points.filter((p) => p.at >= from) }));
  const max = niceMax(Math.max(0, ...visible.flatMap((s) => s.points.map((p) => p.value))));
  const x = (at) => left + ((at - from) / WINDOW_MS) * (width - left - right);
  const y = (value) => top + (1 - value / max) * (height - top - bottom);
  chart.replaceChildren();
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    chart.append(svg('line', { class: 'grid', x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    chart.append(svg('text', { class: 'axis', x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, format(value)));
  }
  for (const seconds of [120, 90, 60, 30, 0]) {
    chart.append(svg('text', { class: 'axis', x: x(now - seconds * 1000), y: height - 6,
      'text-anchor': seconds === 120 ? 'start' : seconds === 0 ? 'end' : 'middle' },
    seconds === 0 ? 'now' : '−' + seconds + ' s'));
  }
  if (visible.every((s) => s.points.length === 0)) {
    chart.append(svg('text', { class: 'nodata', x: (left + width) / 2, y: height / 2, 'text-anchor': 'middle' },
      'waiting for data…'));
    return;
  }
  for (const s of visible) {
    if (s.line && s.points.length > 1) {
      const path = s.points.map((p, i) => (i ? 'L' : 'M') + x(p.at).toFixed(1) + ' ' + y(p.value).toFixed(1)).join(' ');
      const area = path + ' L' + x(s.points[s.points.length - 1].at).toFixed(1) + ' ' + y(0)
        + ' L' + x(s.points[0].at).toFixed(1) + ' ' + y(0) + ' Z';
      if (!s.dashed) chart.append(svg('path', { class: 'area', d: area, fill: s.color }));
      const line = svg('path', { class: 'line', d: path, stroke: s.color });
      if (s.dashed) line.setAttribute('stroke-dasharray', '6 5');
      chart.append(line);
    }
    if (s.dots) {
      for (const p of s.points) {
        const dot = svg('circle', { cx: x(p.at), cy: y(p.value), r: 4.5, fill: s.color, stroke: '#fff', 'stroke-width': 1.5 });
        dot.append(svg('title', {}, format(p.value)));
        chart.append(dot);
      }
    }
  }
}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const ms = (v) => (v === 0 ? '0' : v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)) + ' ms';
const rate = (v) => (v > 0 && v < 10 && !Number.isInteger(v) ? v.toFixed(1) + ' B' : bytes(v)) + '/s';

function renderStats(stats) {
  const endpoint = stats.endpoint;
  const pill = $('#endpoint-state');
  pill.dataset.state = endpoint.state;
  pill.textContent = 'endpoint ' + endpoint.name + ': ' + endpoint.state.toLowerCase().replace('_', ' ')
    + (endpoint.socketId ? ' (socket ' + endpoint.socketId + ')' : '');
  $('#target').textContent = 'target ' + endpoint.target + ' · ' + endpoint.reconnects + ' reconnect'
    + (endpoint.reconnects === 1 ? '' : 's') + (endpoint.lastError ? ' · last error: ' + endpoint.lastError : '');
  state.endpointState = endpoint.state;

  const trips = stats.roundTrips;
  const pings = trips.filter((t) => t.kind === 'ping').map((t) => ({ at: t.at, value: t.millis }));
  const messages = trips.filter((t) => t.kind === 'message').map((t) => ({ at: t.at, value: t.millis }));
  drawChart($('#rtt-chart'), [
    { points: pings, color: css('--ping'), line: true },
    { points: messages, color: css('--message'), dots: true },
  ], ms);
  const recent = pings.slice(-30).map((p) => p.value).sort((a, b) => a - b);
  $('#rtt-summary').textContent = recent.length
    ? 'last ' + ms(pings[pings.length - 1].value) + ' · median ' + ms(recent[Math.floor(recent.length / 2)])
      + ' (last ' + recent.length + ' pings)' : '';

  const samples = stats.throughput;
  drawChart($('#throughput-chart'), [
    { points: samples.map((s) => ({ at: s.at, value: s.readPerSecond })), color: css('--read'), line: true },
    { points: samples.map((s) => ({ at: s.at, value: s.writtenPerSecond })), color: css('--written'), line: true, dashed: true },
  ], rate);
  const last = samples[samples.length - 1];
  $('#throughput-summary').textContent = last
    ? 'total ' + bytes(last.bytesWritten) + ' written · ' + bytes(last.bytesRead) + ' read' : '';
}

function renderHealth(health) {
  const status = health && health.status ? health.status : 'UNKNOWN';
  const component = health && health.components && health.components.socketConnector;
  const pill = $('#health');
  pill.dataset.state = status;
  pill.textContent = 'health: ' + status + (component ? ' (socketConnector ' + component.status + ')' : '');
}

// ---- sending -------------------------------------------------------------------------------------------

$('#send-form').addEventListener('submit', async (submit) => {
  submit.preventDefault();
  const input = $('#send-input');
  const reply = $('#reply');
  const message = input.value;
  $('#send-button').disabled = true;
  try {
    const response = await fetch('api/send', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ message }),
    });
    const body = await response.json();
    if (response.ok) {
      reply.className = 'reply ok';
      reply.replaceChildren('Echo: ');
      const echo = document.createElement('span');
      echo.className = 'echo';
      echo.id = 'reply-text';
      echo.textContent = body.text;
      reply.append(echo, ' in ' + ms(body.millis) + ' over socket ' + body.socketId);
      input.value = '';
    } else {
      reply.className = 'reply error';
      reply.textContent = 'HTTP ' + response.status + ': ' + (body.detail || body.title || 'failed');
    }
  } catch (failure) {
    reply.className = 'reply error';
    reply.textContent = failure.message;
  } finally {
    $('#send-button').disabled = false;
    poll();
  }
});

// ---- polling -------------------------------------------------------------------------------------------

let polling = false;

async function poll() {
  if (polling) return;
  polling = true;
  try {
    const [sockets, stats, health] = await Promise.allSettled([
      getJson('actuator/sockets'), getJson('api/stats'), getJson('actuator/health')]);
    if (sockets.status === 'fulfilled') renderSockets(sockets.value.sockets);
    if (stats.status === 'fulfilled') renderStats(stats.value);
    renderHealth(health.status === 'fulfilled' ? health.value : null);
    if (sockets.status === 'rejected' && stats.status === 'rejected') {
      $('#endpoint-state').dataset.state = 'ERROR';
      $('#endpoint-state').textContent = 'application unreachable';
    }
    if (state.firstPoll && sockets.status === 'fulfilled') {
      state.firstPoll = false;
      event('page loaded: ' + sockets.value.sockets.length + ' open socket' + (sockets.value.sockets.length === 1 ? '' : 's'));
    }
  } finally {
    polling = false;
  }
}

watchEndpointStates();
poll();
setInterval(poll, POLL_MS);
