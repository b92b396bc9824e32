// The operator's console: this node's counters, a request form, a topic tail, a publish form.
import { connect } from './jw-gateway.js';

const $ = id => document.getElementById(id);
let client;

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

async function refreshStats() {
  try {
    const stats = await (await fetch('stats')).json();
    $('stats').tBodies[0].innerHTML = Object.entries(stats)
      .map(([name, value]) => `<tr><td>${name}</td><td>${value}</td></tr>`).join('');
  } catch {
    // the node is restarting: the next round will tell
  }
}

$('reconnect').addEventListener('click', start);
start();
refreshStats();
setInterval(refreshStats, 2000);
