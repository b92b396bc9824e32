import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from '../jw-gateway.js';
import { startNode } from './node-process.mjs';

// two clustered nodes sharing the history of feed.* (held in Hazelcast, one backup)
const flags = ['--cluster', '--cluster-name', `jw-js-${randomUUID()}`];
const env = { JWGW_HISTORY: '[{"topics": "feed.*", "size": 1000, "ttlMs": 600000}]', JWGW_PRESENCE: 'feed.*' };
let first;
let second;
const clients = [];

before(async () => {
  first = await startNode(0, flags, env);
  second = await startNode(0, flags, env);
  // ready is not yet one cluster: a subscriber on the first is listed on the second once it is
  const probe = connect(first.url, { reconnect: false });
  const other = connect(second.url, { reconnect: false });
  clients.push(probe, other);
  await probe.subscribe('feed.probe');
  await until('the two nodes are one cluster', async () => (await other.presence('feed.probe')).count === 1, 90_000);
  probe.close();
});

after(async () => {
  clients.forEach(c => c.close());
  await Promise.all([first, second].map(node => node.stop()));
});

/** Polls `condition` (it may return a promise) every 20 ms, failing after `timeoutMs`. */
async function until(what, condition, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

test('a node restart in the middle of a stream: every publication once, in order, recovered', async () => {
  const subscriber = connect(first.url, { reconnect: true, minDelayMs: 100, maxDelayMs: 500 });
  const publisher = connect(second.url, { reconnect: false });
  clients.push(subscriber, publisher);
  const received = [];
  const recoveries = [];
  subscriber.addEventListener('recovery', event => recoveries.push(event));
  await subscriber.opened;
  const ack = await subscriber.subscribe('feed.live', frame => received.push(frame.data));
  assert.equal(ack.position['feed.live'].offset, 0);

  const total = 300;
  let published = 0;
  const publishing = (async () => {
    while (published < total) {
      published += 1;
      await publisher.publish('feed.live', published, { ack: true });
      await new Promise(resolve => setTimeout(resolve, 10));
    }
  })();
  await until('some received', () => received.length >= 50);

  // the subscriber's node goes away and comes back on the same port while publishing goes on
  const port = first.port;
  const reconnected = new Promise(resolve => subscriber.addEventListener('reconnect', resolve, { once: true }));
  await first.stop();
  const stoppedAt = published;
  first = await startNode(port, flags, env);
  await reconnected;
  await publishing;
  await until(`all ${total} received`, () => received.length >= total);

  assert.ok(stoppedAt < total, 'the restart happened in the middle of the stream');
  assert.deepEqual(received, Array.from({ length: total }, (_, i) => i + 1), 'no publication lost or repeated');
  assert.equal(recoveries.length, 1);
  assert.equal(recoveries[0].recovered, true);
  assert.equal(subscriber.position('feed.live').offset, total);
});

test('presence(), history() and join/leave events', async () => {
  const watcher = connect(second.url, { reconnect: false });
  const other = connect(first.url, { reconnect: false });
  clients.push(watcher, other);
  const joins = [];
  watcher.addEventListener('presence:feed.room', event => {
    if (event.frame.action === 'join') {
      joins.push(event.frame.data);
    }
  });
  await watcher.subscribe('feed.room', null, { presenceEvents: true });
  await until('its own join', () => joins.length === 1);
  await other.subscribe('feed.room');
  await until('the other one joined', () => joins.length === 2);
  const entry = joins[1];
  const list = await watcher.presence('feed.room');
  assert.equal(list.count, 2);
  assert.ok(list.data.some(e => e.conn === entry.conn));

  await other.publish('feed.room', 'hello', { ack: true });
  const held = await watcher.history('feed.room', { limit: 10 });
  assert.deepEqual(held.data.map(frame => frame.data), ['hello']);
  assert.equal(held.data[0].offset, 1);

  const left = new Promise(resolve => watcher.addEventListener('leave', event => resolve(event.frame.data), { once: true }));
  other.close();
  assert.equal((await left).conn, entry.conn);
});
