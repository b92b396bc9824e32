// The console's live charts: the last 10 minutes of /stats samples (one every 2 s), per node and
// for the cluster. A node's cumulative counters become rates by differencing its successive
// reports over the interval its own clock measured (reports in the cluster map can be a period
// old); the cluster is the sum over the nodes of the latest sample, so a node that leaves /stats
// shows as a drop. Drawn by uPlot (vendor/uplot, a global script); arrays are bounded and charts
// are created once: a sample only replaces their data.

const WINDOW = 300; // samples kept: 10 minutes at one per 2 s
const CLUSTER = 'cluster';

const CHARTS = [
  { title: 'connections', series: [['connections', 'connections', '#1f6fbf']] },
  { title: 'requests/s and errors/s', series: [['requests', 'requests/s', '#2a9d4a'], ['errors', 'errors/s', '#d0342c']] },
  { title: 'publications/s and deliveries/s', series: [['publications', 'publications/s', '#8a4fbf'], ['deliveries', 'deliveries/s', '#e08a1e']] },
  { title: 'p99 request latency (ms, requests between samples)', series: [['p99', 'p99 ms', '#b0306f']] },
  { title: 'slow-consumer closes/s and drops/s', series: [['slowCloses', 'closes/s', '#d0342c'], ['drops', 'drops/s', '#777']] },
];
const MEASURES = CHARTS.flatMap(chart => chart.series.map(([measure]) => measure));
const COUNTERS = ['requests', 'errors', 'publications', 'deliveries', 'slowCloses', 'drops'];

/** A node report's cumulative counters and latency buckets (summed over commands). */
function counters(node) {
  const gateway = node.gateway ?? {};
  const stats = gateway.stats ?? {};
  const bounds = gateway.latencyBucketsMs ?? [];
  const buckets = new Array(bounds.length).fill(0);
  let requests = 0;
  let errors = 0;
  for (const command of Object.values(gateway.commands ?? {})) {
    requests += command.requests ?? 0;
    errors += command.errors ?? 0;
    (command.buckets ?? []).forEach((count, i) => { buckets[i] += count; });
  }
  return {
    at: gateway.at, connections: stats.connections ?? 0, bounds, buckets, requests, errors,
    publications: stats.publicationsReceived ?? 0, deliveries: stats.publicationsDelivered ?? 0,
    slowCloses: stats.slowConsumerCloses ?? 0, drops: stats.publicationsDropped ?? 0,
  };
}

/** The bound of the bucket the q-quantile of these (cumulative) counts falls in; null: no requests. */
function quantile(bounds, cumulative, q) {
  const total = cumulative[cumulative.length - 1] ?? 0;
  if (total === 0) {
    return null;
  }
  const i = cumulative.findIndex(count => count >= Math.ceil(q * total));
  return bounds[i === -1 ? bounds.length - 1 : i]; // beyond the last bound: drawn at it
}

/** One sample of one node: gauges as read, counters as rates since its previous report. */
function nodePoint(now, before) {
  const point = { connections: now.connections, deltaBuckets: null };
  const seconds = before && now.at > before.at ? (now.at - before.at) / 1000 : 0;
  for (const name of COUNTERS) {
    const delta = now[name] - (before?.[name] ?? 0);
    // no previous report, or a counter that went back (a restart under the same id): no rate yet
    point[name] = seconds > 0 && delta >= 0 ? delta / seconds : null;
  }
  if (seconds > 0 && now.buckets.length === before.buckets.length) {
    point.deltaBuckets = now.buckets.map((count, i) => Math.max(0, count - before.buckets[i]));
    point.p99 = quantile(now.bounds, point.deltaBuckets, 0.99);
  } else {
    point.p99 = null;
  }
  return point;
}

/** The cluster's point: gauges and rates summed over the nodes present, p99 over their requests. */
function clusterPoint(points, bounds) {
  const point = {};
  for (const name of ['connections', ...COUNTERS]) {
    const known = points.filter(p => p[name] !== null);
    point[name] = known.length === 0 ? null : known.reduce((sum, p) => sum + p[name], 0);
  }
  const buckets = new Array(bounds.length).fill(0);
  points.forEach(p => p.deltaBuckets?.forEach((count, i) => { buckets[i] += count; }));
  point.p99 = quantile(bounds, buckets, 0.99);
  return point;
}

export class Charts {
  #times = [];
  #scopes = new Map();    // scope (CLUSTER or a node id) -> {measure: values aligned with #times}
  #last = new Map();      // node id -> its latest counters (the previous sample's, for differencing)
  #lastPoints = new Map(); // node id -> its latest point, carried while its report has not changed
  #plots = [];
  #scope = CLUSTER;
  #select;
  #scopeKey = '';
  #label;

  /** Builds the charts into `container` once; `select` chooses the cluster or one node. */
  constructor(container, select, label = id => id) {
    this.#select = select;
    this.#label = label;
    this.#scopes.set(CLUSTER, this.#emptySeries());
    for (const chart of CHARTS) {
      const box = document.createElement('div');
      box.className = 'chart';
      container.append(box);
      this.#plots.push({ chart, plot: new globalThis.uPlot(this.#options(chart, box), this.#dataOf(chart), box) });
    }
    select.addEventListener('change', () => { this.#scope = select.value; this.#draw(); });
    let resizing = null;
    addEventListener('resize', () => {
      clearTimeout(resizing);
      resizing = setTimeout(() => this.#plots.forEach(({ plot }) => plot.setSize(this.#size(plot.root.parentNode))), 200);
    });
  }

  /** Adds one /stats answer (its cluster array), sampled at `atMs` on this page's clock. */
  add(nodes, atMs = Date.now()) {
    const points = [];
    const present = new Set();
    let bounds = [];
    for (const node of nodes) {
      const id = String(node.id);
      present.add(id);
      const now = counters(node);
      bounds = now.bounds.length > bounds.length ? now.bounds : bounds;
      const before = this.#last.get(id);
      // the same report again (the cluster map is refreshed every 2 s too): its rates still hold
      const point = before && now.at === before.at && this.#lastPoints.has(id) ? this.#lastPoints.get(id) : nodePoint(now, before);
      if (point !== this.#lastPoints.get(id)) {
        this.#last.set(id, now);
        this.#lastPoints.set(id, point);
      }
      points.push([id, point]);
    }
    for (const id of [...this.#last.keys()]) {
      if (!present.has(id)) {
        this.#last.delete(id);
        this.#lastPoints.delete(id);
      }
    }
    this.#times.push(atMs / 1000);
    const byScope = new Map(points);
    byScope.set(CLUSTER, clusterPoint(points.map(([, p]) => p), bounds));
    for (const [id] of points) {
      if (!this.#scopes.has(id)) {
        this.#scopes.set(id, this.#emptySeries(this.#times.length - 1));
      }
    }
    for (const [scope, series] of this.#scopes) {
      const point = byScope.get(scope);
      MEASURES.forEach(measure => series[measure].push(point ? point[measure] : null));
    }
    if (this.#times.length > WINDOW) {
      this.#times.shift();
      this.#scopes.forEach(series => MEASURES.forEach(measure => series[measure].shift()));
    }
    this.#forgetGoneNodes(present);
    this.#updateSelect();
    this.#draw();
  }

  /** Read-only views for tests and the curious: the sample times (s) and one scope's series. */
  get accessor() {
    return Object.freeze({
      scopes: () => [...this.#scopes.keys()],
      times: () => [...this.#times],
      series: (scope, measure) => [...(this.#scopes.get(scope)?.[measure] ?? [])],
      selected: () => this.#scope,
    });
  }

  /** A node whose every point left the window: its series go (node churn cannot grow the page). */
  #forgetGoneNodes(present) {
    for (const [scope, series] of this.#scopes) {
      if (scope !== CLUSTER && !present.has(scope) && series.connections.every(v => v === null)) {
        this.#scopes.delete(scope);
        if (this.#scope === scope) {
          this.#scope = CLUSTER;
        }
      }
    }
  }

  /** The scope list changes only when nodes come or go, not at every sample. */
  #updateSelect() {
    const scopes = [...this.#scopes.keys()];
    const key = scopes.join(' ');
    if (key === this.#scopeKey) {
      return;
    }
    this.#scopeKey = key;
    this.#select.replaceChildren(...scopes.map(scope => {
      const option = document.createElement('option');
      option.value = scope;
      option.textContent = scope === CLUSTER ? 'cluster' : `node ${this.#label(scope)}`; // textContent: no markup
      return option;
    }));
    this.#select.value = this.#scope;
  }

  #draw() {
    this.#plots.forEach(({ chart, plot }) => plot.setData(this.#dataOf(chart)));
  }

  #dataOf(chart) {
    const series = this.#scopes.get(this.#scope) ?? this.#scopes.get(CLUSTER);
    return [this.#times, ...chart.series.map(([measure]) => series[measure])];
  }

  #emptySeries(length = 0) {
    return Object.fromEntries(MEASURES.map(measure => [measure, new Array(length).fill(null)]));
  }

  #size(box) {
    return { width: Math.max(240, box.clientWidth), height: 140 };
  }

  #options(chart, box) {
    return {
      title: chart.title,
      ...this.#size(box),
      scales: { y: { range: (u, min, max) => [0, Math.max(1, (max ?? 0) * 1.1)] } },
      series: [{}, ...chart.series.map(([, label, stroke]) => ({ label, stroke, width: 1.5, spanGaps: false }))],
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
    };
  }
}
