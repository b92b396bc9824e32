// The console's charts with a 4-node cluster under load, in a real headless Chromium: the series
// rise, the page's own CPU is measured (reported, not asserted), and a node killed with SIGKILL
// shows as a drop in the cluster's connections. Assertions read window.jwCharts, not pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../jw-gateway.js';
import { launchBrowser, skip, SHOTS } from './browser.mjs';
import { startNode } from './node-process.mjs';

const NODES = 4;
const CLIENTS_PER_NODE = 3;
const LOAD_MS = 120_000;          // the load stops by itself after this, whatever happens
const MAX_REQUESTS_PER_CLIENT = 20_000;
const CPU_WINDOW_MS = 20_000;

let nodes = [];
let browser;
let load;

before(async () => {
  if (skip) {
    return;
  }
  // one after the other: each joins the cluster the first formed
  const flags = ['--cluster', '--cluster-name', `jw-charts-test-${process.pid}-${Date.now()}`];
  for (let i = 0; i < NODES; i++) {
    nodes.push(await startNode(0, flags));
  }
  browser = await launchBrowser();
});

after(async () => {
  load?.stop();
  await load?.done;
  await browser?.close();
  await Promise.all(nodes.map(node => node.stop()));
});

/**
 * Clients on every node, each requesting `echo` and publishing on `load` in a paced loop,
 * bounded in count and time. A client whose node dies ends its loop.
 */
function startLoad() {
  let running = true;
  const deadline = Date.now() + LOAD_MS;
  const clients = [];
  const loops = [];
  for (const node of nodes) {
    for (let i = 0; i < CLIENTS_PER_NODE; i++) {
      const client = connect(node.url, { reconnect: false });
      clients.push(client);
      loops.push((async () => {
        await client.opened;
        await client.subscribe('load');
        for (let n = 0; running && Date.now() < deadline && n < MAX_REQUESTS_PER_CLIENT; n++) {
          try {
            await client.request('echo', [n], {});
            if (n % 5 === 0) {
              await client.publish('load', { n }, { ack: true });
            }
          } catch {
            return; // its node went away
          }
          await new Promise(resolve => setTimeout(resolve, 20));
        }
      })());
    }
  }
  const done = Promise.all(loops).finally(() => clients.forEach(client => client.close()));
  return { stop: () => { running = false; }, done };
}

/** Waits until `predicate(window.jwCharts)` holds in the page (bounded by the test's timeout). */
function untilCharts(page, predicate, arg) {
  return page.waitForFunction(predicate, arg, { polling: 500, timeout: 90_000 });
}

test('charts: 4 nodes under load show rising series; a killed node is a drop in the cluster', { skip, timeout: 300_000 }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${nodes[0].port}/`);
  await page.waitForFunction(() => window.jwCharts !== undefined, null, { timeout: 30_000 });
  await untilCharts(page, n => window.jwCharts.scopes().length === n + 1, NODES);

  load = startLoad();
  const connections = NODES * CLIENTS_PER_NODE; // and the page's own
  await untilCharts(page, min => {
    const last = series => series.filter(v => v !== null).at(-1) ?? 0;
    const charts = window.jwCharts;
    return last(charts.series('cluster', 'connections')) >= min
      && last(charts.series('cluster', 'requests')) > 0
      && last(charts.series('cluster', 'deliveries')) > 0
      && last(charts.series('cluster', 'p99')) > 0;
  }, connections);
  const cluster = await page.evaluate(() => ({
    connections: window.jwCharts.series('cluster', 'connections'),
    requests: window.jwCharts.series('cluster', 'requests'),
  }));
  // rising: the first samples, before the load, are below the last
  assert.ok(cluster.connections[0] < cluster.connections.at(-1), JSON.stringify(cluster));
  // (the first sample has no rate yet: a rate needs two samples, so it counts as 0)
  assert.ok((cluster.requests[0] ?? 0) < cluster.requests.at(-1), JSON.stringify(cluster));
  // every node has its own series, and their connections add up to the cluster's
  const perNode = await page.evaluate(() => window.jwCharts.scopes().filter(s => s !== 'cluster')
    .map(s => window.jwCharts.series(s, 'connections').at(-1)));
  assert.equal(perNode.length, NODES);
  assert.equal(perNode.reduce((a, b) => a + b, 0), cluster.connections.at(-1));

  // the page's CPU: main-thread task time over a window with the charts redrawn every 2 s
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics
    .find(m => m.name === 'TaskDuration').value;
  const before = await taskSeconds();
  const started = Date.now();
  await new Promise(resolve => setTimeout(resolve, CPU_WINDOW_MS));
  const busy = (await taskSeconds()) - before;
  const wall = (Date.now() - started) / 1000;
  const samples = await page.evaluate(() => window.jwCharts.times().length);
  console.log(`page CPU with ${NODES} nodes: ${(busy * 1000).toFixed(0)} ms of main-thread tasks in ${wall.toFixed(1)} s`
    + ` = ${(100 * busy / wall).toFixed(2)} % of one core (${samples} samples kept)`);
  await page.screenshot({ path: new URL('console-charts.png', SHOTS).pathname, fullPage: true });

  // a node dies as in a crash: its report expires from the cluster map, its clients are gone
  const peak = await page.evaluate(() => window.jwCharts.series('cluster', 'connections').at(-1));
  const victim = nodes.pop();
  await victim.kill();
  await untilCharts(page, below => window.jwCharts.series('cluster', 'connections').at(-1) <= below
    && window.jwCharts.series('cluster', 'connections').at(-2) <= below, peak - CLIENTS_PER_NODE);
  const after = await page.evaluate(() => window.jwCharts.series('cluster', 'connections'));
  assert.ok(after.at(-1) < peak, `cluster connections fell from ${peak}: ${after.slice(-10)}`);
  await page.screenshot({ path: new URL('console-charts-node-killed.png', SHOTS).pathname, fullPage: true });
  await page.close();
});
