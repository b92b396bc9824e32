// The operator's console: the cluster's nodes, topics and commands (from /stats), this node's
// counters, live charts of the last minutes, recent errors, a request form, a topic tail and a publish form.
import { connect } from './jw-gateway.js';
import { Charts } from './charts.js';

const $ = id => document.getElementById(id);
let client;
const charts = new Charts($('charts'), $('chart-scope'), id => shortId(id));
// read-only, for tests and the curious: window.jwCharts.series('cluster', 'connections')
window.jwCharts = charts.accessor;

function start() {
  client?.close();
  const token = $('token').value.trim();
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  client = connect(url, { token: token || undefined, reconnect: true });
  client.addEventListener('open', () => { status('connected', true); refreshStats(); });
  client.addEventListener('reconnect', () => { status('connected (reconnected)', true); refreshStats(); });
  client.addEventListener('close', e => status(`disconnected (${e.code})`, false));
  client.addEventListener('error', e => e.error?.code && recordError(e.error));
}

function status(text, up) {
  $('status').textContent = text;
  $('status').className = up ? 'up' : 'down';
}

function recordError(err) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${err.code ?? ''} ${err.msg ?? err.message}`;
  $('errors').prepend(item);
  while ($('errors').children.length > 20) {
    $('errors').lastChild.remove();
  }
}

function parse(text) {
  return text.trim() === '' ? {} : JSON.parse(text);
}

$('request-form').addEventListener('submit', async event => {
  event.preventDefault();
  $('progress').textContent = '';
  $('answer').textContent = '...';
  try {
    const res = await client.request($('command').value.trim(), [], parse($('kwargs').value), {
      onProgress: frame => { $('progress').textContent += JSON.stringify(frame.data) + '\n'; },
    });
    $('answer').textContent = JSON.stringify(res, null, 2);
  } catch (err) {
    $('answer').textContent = err.frame ? JSON.stringify(err.frame, null, 2) : String(err);
    recordError(err);
  }
});

$('tail-form').addEventListener('submit', async event => {
  event.preventDefault();
  const topic = $('tail-topic').value.trim();
  try {
    await client.subscribe(topic, frame => {
      const item = document.createElement('li');
      item.textContent = `${frame.topic} ${frame.src ?? ''} ${frame.code ?? ''} ${frame.msg ?? ''} ${JSON.stringify(frame.data)}`;
      $('tail-log').prepend(item);
      while ($('tail-log').children.length > 200) {
        $('tail-log').lastChild.remove();
      }
    });
    $('tail-state').textContent = `subscribed to ${topic}`;
  } catch (err) {
    $('tail-state').textContent = `refused: ${err.code} ${err.msg}`;
    recordError(err);
  }
});

$('publish-form').addEventListener('submit', async event => {
  event.preventDefault();
  try {
    await client.publish($('publish-topic').value.trim(), parse($('publish-data').value), { ack: true });
    $('publish-state').textContent = `published at ${new Date().toLocaleTimeString()}`;
  } catch (err) {
    $('publish-state').textContent = `refused: ${err.code} ${err.msg}`;
    recordError(err);
  }
});

/** Text made safe for innerHTML: names come from clients. */
function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`);
}

/** Cluster node ids are UUIDs: their first 8 characters tell nodes apart. */
function shortId(id) {
  const text = String(id ?? '-');
  return text.length > 12 ? text.slice(0, 8) : text;
}

function rows(table, cells) {
  $(table).tBodies[0].innerHTML = cells.map(row => `<tr>${row.map(cell => `<td>${esc(cell)}</td>`).join('')}</tr>`).join('');
}

/** The cluster as every node reports it: nodes, topics summed over nodes, commands with handlers and latency. */
function showCluster(nodes) {
  rows('nodes', nodes.map(node => {
    const stats = node.gateway?.stats;
    const handlers = Object.entries(node.handlers ?? {}).map(([name, n]) => `${name}×${n}`).join(' ');
    return [shortId(node.id), node.gateway ? `:${node.gateway.port}` : '-', stats?.connections ?? '-',
      stats?.subscriptions ?? '-', stats?.openRequests ?? '-', handlers, new Date(node.startedAt).toLocaleTimeString()];
  }));
  const topics = new Map();
  const commands = new Map();
  const command = name => commands.get(name) ?? commands.set(name, { handlers: 0, requests: 0, errors: 0, totalMs: 0, p99: null }).get(name);
  for (const node of nodes) {
    for (const [name, n] of Object.entries(node.gateway?.topics ?? {})) {
      const topic = topics.get(name) ?? { subscribers: 0, nodes: 0 };
      topics.set(name, { subscribers: topic.subscribers + n, nodes: topic.nodes + 1 });
    }
    for (const [name, n] of Object.entries(node.handlers ?? {})) {
      command(name).handlers += n;
    }
    for (const [name, s] of Object.entries(node.gateway?.commands ?? {})) {
      const c = command(name);
      c.requests += s.requests;
      c.errors += s.errors;
      c.totalMs += s.meanMs * s.requests;
      // p99 over nodes: the slowest node's (a bucket bound; null is over the last bucket)
      c.p99 = c.p99 === undefined || s.p99Ms === null ? undefined : Math.max(c.p99 ?? 0, s.p99Ms);
    }
  }
  rows('topics', [...topics].sort((a, b) => b[1].subscribers - a[1].subscribers)
    .map(([name, t]) => [name, t.subscribers, t.nodes]));
  // history and presence topics: listed cluster-wide, the history's head and what it holds
  const v2 = new Map();
  const v2Topic = name => v2.get(name) ?? v2.set(name, { listed: null, offset: null, size: null }).get(name);
  for (const node of nodes) {
    for (const [name, n] of Object.entries(node.gateway?.presence ?? {})) {
      v2Topic(name).listed = (v2Topic(name).listed ?? 0) + n;
    }
    for (const [name, h] of Object.entries(node.gateway?.history ?? {})) {
      const t = v2Topic(name);
      t.offset = Math.max(t.offset ?? 0, h.offset);
      t.size = h.size;
    }
  }
  rows('v2-topics', [...v2].sort((a, b) => a[0].localeCompare(b[0])).map(([name, t]) => [name, t.listed ?? '-',
    t.offset ?? '-', t.offset === null ? '-' : `≤ ${Math.min(t.offset, t.size)} of ${t.size}`]));
  rows('commands', [...commands].sort((a, b) => a[0].localeCompare(b[0])).map(([name, c]) => [name, c.handlers,
    c.requests, c.errors, c.requests ? (c.totalMs / c.requests).toFixed(1) : '-',
    c.requests === 0 ? '-' : c.p99 === undefined ? '> 30000' : `≤ ${c.p99}`]));
  const errors = nodes.flatMap(node => (node.gateway?.errors ?? []).map(e => ({ ...e, node: shortId(node.id) })))
    .sort((a, b) => b.at.localeCompare(a.at)).slice(0, 20);
  $('node-errors').innerHTML = errors.map(e => `<li>${esc(new Date(e.at).toLocaleTimeString())} ${esc(e.node)} ${esc(e.kind)} ` +
    `${esc(e.name ?? '')} ${esc(e.code)} ${esc(e.msg)}</li>`).join('');
}

let refreshing = false;

async function refreshStats() {
  if (refreshing) {
    return; // a slow node: never more than one request in flight
  }
  refreshing = true;
  const token = $('token').value.trim();
  try {
    const res = await fetch('stats', token ? { headers: { Authorization: `Bearer ${token}` } } : {});
    if (!res.ok) {
      $('stats-state').textContent = `(statistics: ${res.status} ${await res.text()})`;
      return;
    }
    const stats = await res.json();
    $('stats-state').textContent = stats.cluster ? `(${stats.cluster.length} node${stats.cluster.length === 1 ? '' : 's'})` : `(${stats.clusterError})`;
    rows('stats', Object.entries(stats.node.stats));
    showCluster(stats.cluster ?? []);
    if (stats.cluster) {
      charts.add(stats.cluster);
    }
  } catch (err) {
    // the node is restarting: the next round will tell
    $('stats-state').textContent = `(statistics: ${err.message})`;
  } finally {
    refreshing = false;
  }
}

$('reconnect').addEventListener('click', start);
start();
refreshStats();
setInterval(refreshStats, 2000);
