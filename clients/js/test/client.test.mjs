import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect, GatewayError } from '../jw-gateway.js';
import { startNode } from './node-process.mjs';

let node;
const clients = [];

function client(options = {}) {
  const c = connect(node.url, { reconnect: false, ...options });
  clients.push(c);
  return c;
}

function nextEvent(target, type) {
  return new Promise(resolve => target.addEventListener(type, resolve, { once: true }));
}

before(async () => {
  node = await startNode();
});

after(async () => {
  clients.forEach(c => c.close());
  await node.stop();
});

test('request resolves with the final 200 response', async () => {
  const res = await client().request('echo', [1, '二'], { name: 'jw' });
  assert.equal(res.code, 200);
  assert.deepEqual(res.data, { args: [1, '二'], kwargs: { name: 'jw' } });
});

test('a non-200 answer rejects with its code and msg', async () => {
  await assert.rejects(client().request('no_such_command'), err => err instanceof GatewayError && err.code === 404);
  await assert.rejects(client().request('sleep', [], { ms: 'soon' }), err => err.code === 400 && /ms/.test(err.msg));
});

test('onProgress gets the intermediate responses before the final one', async () => {
  const progress = [];
  const res = await client().request('progress', [], { steps: 3, interval_ms: 10 }, { onProgress: f => progress.push(f.data.progress) });
  assert.deepEqual(progress, [33, 66, 100]);
  assert.equal(res.data.progress, 100);
});

test('an AbortSignal cancels: the request rejects with 499', async () => {
  const controller = new AbortController();
  const pending = client().request('sleep', [], { ms: 10_000 }, { signal: controller.signal });
  setTimeout(() => controller.abort(), 50);
  await assert.rejects(pending, err => err.code === 499);
});

test('a client-side timeout rejects with 504 and cancels on the server', async () => {
  const c = client();
  await assert.rejects(c.request('sleep', [], { ms: 10_000 }, { timeout: 100 }), err => err.code === 504);
  // the connection is still fine
  assert.equal((await c.request('web')).code, 200);
});

test('dialogue: every round reaches the same handler, the last one ends it', async () => {
  const talk = client().dialogue('dialogue', [], { say: 'hello' });
  assert.equal((await talk.first).data.round, 0);
  const second = await talk.send([], { say: 'again' });
  assert.equal(second.data.round, 1);
  assert.equal(second.more, true);
  const last = await talk.send([], { done: true });
  assert.equal(last.data.round, 2);
  assert.equal((await talk.done).code, 200);
});

test('subscribe resolves on the ack; publications arrive as handler calls and events', async () => {
  const subscriber = client();
  const publisher = client();
  const received = [];
  const ack = await subscriber.subscribe(['news', 'other'], frame => received.push(frame.data));
  assert.deepEqual(ack.topic, ['news', 'other']);
  const event = nextEvent(subscriber, 'topic:news');
  const published = await publisher.publish('news', { n: 1 }, { ack: true });
  assert.equal(published.code, 200);
  assert.deepEqual((await event).frame.data, { n: 1 });
  assert.deepEqual(received, [{ n: 1 }]);
  await subscriber.unsubscribe('news');
  // listen first: the publication can reach the subscriber before the ack reaches the publisher
  const other = nextEvent(subscriber, 'topic:other');
  await publisher.publish('other', 'still here', { ack: true });
  await other;
  assert.deepEqual(received, [{ n: 1 }, 'still here'], 'nothing more on news after unsubscribe');
});

test('after the node restarts the client reconnects, re-subscribes, and failed requests rejected', async () => {
  const port = node.port;
  const resilient = client({ reconnect: true, minDelayMs: 100, maxDelayMs: 1_000 });
  await resilient.opened;
  await resilient.subscribe('alive');
  const inFlight = assert.rejects(resilient.request('sleep', [], { ms: 60_000 }),
    err => err instanceof GatewayError && err.code === 503);
  const closed = nextEvent(resilient, 'close');

  await node.stop();
  assert.equal((await closed).code, 1001, 'the stopping node says goodbye');
  await inFlight;
  const reconnected = nextEvent(resilient, 'reconnect');
  node = await startNode(port);
  await reconnected;

  // the re-subscription is acknowledged before the next round trip on the same connection
  assert.equal((await resilient.request('web')).code, 200);
  const publication = nextEvent(resilient, 'topic:alive');
  await client().publish('alive', 'after restart', { ack: true });
  assert.equal((await publication).frame.data, 'after restart');
});
