// The console and chat pages in a real headless Chromium, as an operator would use them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../jw-gateway.js';
import { launchBrowser, skip, SHOTS } from './browser.mjs';
import { startNode } from './node-process.mjs';

let node;
let browser;

before(async () => {
  if (skip) {
    return;
  }
  node = await startNode();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await node?.stop();
});

test('console: send a request from the form, tail a topic, see another client publish', { skip }, async () => {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${node.port}/`);
  await page.locator('#status', { hasText: 'connected' }).waitFor();

  await page.fill('#command', 'echo');
  await page.fill('#kwargs', '{"from": "the browser"}');
  await page.click('#send');
  await page.locator('#answer', { hasText: '"from": "the browser"' }).waitFor();
  assert.match(await page.textContent('#answer'), /"code": 200/);

  await page.fill('#tail-topic', 'news');
  await page.click('#tail');
  await page.locator('#tail-state', { hasText: 'subscribed to news' }).waitFor();
  const other = connect(node.url, { reconnect: false });
  await other.publish('news', { headline: 'published by another client' }, { ack: true });
  await page.locator('#tail-log li', { hasText: 'published by another client' }).waitFor();
  other.close();

  // the node's counters, refreshed once connected, count this page's connection
  await page.locator('#stats tr', { hasText: /connections\s*[1-9]/ }).waitFor();
  // the cluster tables (every 2 s from /stats): this standalone node, its echo handler with the
  // form's request counted, the tailed topic with its subscriber
  await page.locator('#nodes tbody tr', { hasText: 'standalone' }).waitFor();
  await page.locator('#commands tbody tr', { hasText: /^echo\s*1\s*[1-9]/ }).waitFor();
  await page.locator('#topics tbody tr', { hasText: /^news\s*1\s*1$/ }).waitFor();
  await page.screenshot({ path: new URL('console.png', SHOTS).pathname, fullPage: true });
  await page.close();
});

/**
 * ana joins the chat page on `anaPort`, bo on `boPort`; ana sees bo's join notice, bo says
 * `text` and ana sees it. Resolves with both pages.
 */
async function chat(anaPort, boPort, text) {
  const ana = await browser.newPage();
  const bo = await browser.newPage();
  for (const [page, port, name] of [[ana, anaPort, 'ana'], [bo, boPort, 'bo']]) {
    await page.goto(`http://127.0.0.1:${port}/chat.html`);
    await page.locator('#status', { hasText: 'connected' }).waitFor();
    await page.fill('#name', name);
    await page.click('#join');
    await page.locator('#say-form').waitFor();
  }
  await ana.locator('#messages li', { hasText: '* bo joined' }).waitFor();
  await bo.fill('#text', text);
  await bo.click('#say');
  await ana.locator('#messages li', { hasText: `bo: ${text}` }).waitFor();
  return [ana, bo];
}

test('chat: a join notice and a message reach everyone in the room', { skip }, async () => {
  const [ana] = await chat(node.port, node.port, 'hello from bo');
  await ana.screenshot({ path: new URL('chat.png', SHOTS).pathname });
});

test('chat: who is here comes from presence, and a page that comes back sees what it missed', { skip }, async () => {
  const [ana, bo] = await chat(node.port, node.port, 'before the reload');
  // earlier tests' pages may still be in the room: count relative to what ana sees
  await ana.locator('#here', { hasText: /[1-9]\d* here/ }).waitFor();
  const here = Number((await ana.textContent('#here')).split(' ')[0]);
  await bo.locator('#here', { hasText: `${here} here` }).waitFor();
  await ana.goto('about:blank');
  await bo.locator('#here', { hasText: `${here - 1} here` }).waitFor();
  await bo.fill('#text', 'while ana was away');
  await bo.click('#say');
  await bo.locator('#messages li', { hasText: 'bo: while ana was away' }).waitFor();
  // the same tab comes back: the position kept in sessionStorage brings the missed message
  await ana.goto(`http://127.0.0.1:${node.port}/chat.html`);
  await ana.locator('#status', { hasText: 'connected' }).waitFor();
  await ana.fill('#name', 'ana');
  await ana.click('#join');
  await ana.locator('#messages li', { hasText: 'bo: while ana was away' }).waitFor();
  assert.equal(await ana.locator('#messages li', { hasText: 'before the reload' }).count(), 0, 'only what was missed, nothing seen twice');
  await ana.screenshot({ path: new URL('chat-recovered.png', SHOTS).pathname });
  // the console: chat's presence count, the history's last offset and what it holds
  const overview = await browser.newPage();
  await overview.goto(`http://127.0.0.1:${node.port}/`);
  await overview.locator('#v2-topics tbody tr', { hasText: /^chat\s*[1-9]\d*\s*[1-9]\d*\s*≤ [1-9]\d* of 200$/ }).waitFor();
  await Promise.all([ana.close(), bo.close(), overview.close()]);
});

test('chat across two clustered nodes, and the console lists both nodes', { skip, timeout: 180_000 }, async () => {
  // one after the other: the second joins the cluster the first formed
  const flags = ['--cluster', '--cluster-name', `jw-browser-test-${process.pid}-${Date.now()}`];
  const one = await startNode(0, flags);
  const two = await startNode(0, flags).catch(async err => { await one.stop(); throw err; });
  try {
    const [ana, bo] = await chat(one.port, two.port, 'hello from the other node');

    const overview = await browser.newPage();
    await overview.goto(`http://127.0.0.1:${one.port}/`);
    await overview.waitForFunction(() => document.querySelectorAll('#nodes tbody tr').length === 2);
    // the chat topic has one subscriber on each node
    await overview.locator('#topics tbody tr', { hasText: /^chat\s*2\s*2$/ }).waitFor();
      await overview.screenshot({ path: new URL('console-cluster.png', SHOTS).pathname, fullPage: true });
    await Promise.all([ana.close(), bo.close(), overview.close()]);
  } finally {
    await Promise.all([one.stop(), two.stop()]);
  }
});
