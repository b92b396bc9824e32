// jw-gateway client: the envelope of PROTOCOL.md over one WebSocket, for browsers and Node 22+
// (global WebSocket; Node 20.10+ with --experimental-websocket; otherwise pass options.WebSocket).
// No runtime dependency.
//
//   import { connect } from './jw-gateway.js';
//   const client = connect('ws://localhost:8080/ws', { token, reconnect: true });
//   const res = await client.request('echo', [1], { name: 'jw' }, { timeout: 5000 });
//   await client.subscribe('user', frame => console.log(frame.data));

/** A non-200 answer, or a request the client gave up on (timeout, abort, lost connection). */
export class GatewayError extends Error {
  constructor(code, msg, frame) {
    super(`${code} ${msg}`);
    this.name = 'GatewayError';
    this.code = code;
    this.msg = msg;
    this.frame = frame;
  }
}

/** Dispatched as `topic:<name>` (and `publication`) for every publication received. */
export class PublicationEvent extends Event {
  constructor(type, frame) {
    super(type);
    this.frame = frame;
    this.detail = frame;
  }
}

/**
 * Dispatched as `recovery` after a re-subscription with `since` (a reconnect): `recovered`
 * false means publications were missed and the application should reload that topic's state.
 */
export class RecoveryEvent extends Event {
  constructor(topic, recovered, position) {
    super('recovery');
    this.topic = topic;
    this.recovered = recovered;
    this.position = position;
  }
}

const DEFAULTS = { reconnect: true, minDelayMs: 250, maxDelayMs: 10_000, timeout: 30_000 };

/** Opens a client; it connects (and reconnects) by itself. `client.opened` resolves on the first open. */
export function connect(url, options = {}) {
  return new Client(url, options);
}

export class Client extends EventTarget {
  #url;
  #options;
  #ws = null;
  #nextId = 0;
  #pending = new Map();      // id -> {resolve, reject, onProgress, timer, cleanup}
  #topics = new Map();       // topic -> Set<handler>
  #positions = new Map();    // history topic -> {offset, epoch}: the last publication received
  #presenceEvents = new Set(); // topics subscribed with presence_events
  #queue = [];               // frames written while not connected
  #attempt = 0;
  #closedByUser = false;
  #reconnectTimer = null;
  #openedResolve;

  constructor(url, options = {}) {
    super();
    this.#options = { ...DEFAULTS, ...options };
    this.#url = this.#options.token ? withToken(url, this.#options.token) : url;
    this.opened = new Promise(resolve => { this.#openedResolve = resolve; });
    this.#open();
  }

  /** True while the WebSocket is open. */
  get connected() {
    return this.#ws !== null && this.#ws.readyState === 1;
  }

  /**
   * Sends a request and resolves with its final 200 response; rejects with a GatewayError for
   * any other code. `onProgress` gets the intermediate responses; aborting `signal` cancels.
   */
  request(command, args = [], kwargs = {}, { timeout = this.#options.timeout, onProgress, signal } = {}) {
    const id = this.#id();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(new GatewayError(499, 'cancelled', null));
        return;
      }
      const entry = { resolve, reject, onProgress };
      if (signal) {
        const onAbort = () => this.#cancel(id);
        signal.addEventListener('abort', onAbort, { once: true });
        entry.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      this.#track(id, entry, timeout, `no answer within ${timeout} ms`, () => this.#cancel(id));
      this.#send({ mode: 'req_res', action: 'req', command, id, args, kwargs });
    });
  }

  /**
   * A multi-round conversation: `first` is the answer to the opening request, `send()` the next
   * round and its answer, `done` the final response.
   */
  dialogue(command, args = [], kwargs = {}, { timeout = this.#options.timeout } = {}) {
    const id = this.#id();
    const answers = [];
    let waiting = null;
    const next = () => new Promise(resolve => {
      if (answers.length > 0) {
        resolve(answers.shift());
      } else {
        waiting = resolve;
      }
    });
    const onProgress = frame => {
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve(frame);
      } else {
        answers.push(frame);
      }
    };
    const done = new Promise((resolve, reject) => {
      this.#track(id, { resolve, reject, onProgress }, timeout, `no answer within ${timeout} ms`);
    });
    this.#send({ mode: 'req_res', action: 'req', command, id, args, kwargs });
    const finalAnswer = done.then(frame => { onProgress(frame); return frame; });
    finalAnswer.catch(() => {});
    return {
      id,
      first: next(),
      done: finalAnswer,
      send: (roundArgs = [], roundKwargs = {}) => {
        this.#send({ mode: 'req_res', action: 'req', command, id, args: roundArgs, kwargs: roundKwargs });
        return next();
      },
      cancel: () => this.#cancel(id),
    };
  }

  /**
   * Subscribes `handler` to the topics; resolves with the ack once the subscription is live.
   * `since` ({topic: {offset, epoch}}) recovers what was missed on history topics (a reconnect
   * does it by itself); `presenceEvents` asks for join/leave events on presence topics.
   */
  subscribe(topics, handler, { since, presenceEvents = false } = {}) {
    const names = [].concat(topics);
    if (presenceEvents) {
      names.forEach(name => this.#presenceEvents.add(name));
    }
    for (const [name, position] of Object.entries(since ?? {})) {
      this.#positions.set(name, { offset: position.offset, epoch: position.epoch });
    }
    for (const name of names) {
      if (!this.#topics.has(name)) {
        this.#topics.set(name, new Set());
      }
      if (handler) {
        this.#topics.get(name).add(handler);
      }
    }
    return this.#subscribeFrame(names, since !== undefined, presenceEvents);
  }

  /** Where the client stands on a history topic ({offset, epoch}), or undefined. */
  position(topic) {
    const position = this.#positions.get(topic);
    return position ? { ...position } : undefined;
  }

  /** The publications a history topic holds (at most `limit`, oldest first; after `since` when given). */
  history(topic, { limit, since } = {}) {
    const frame = { mode: 'pub_sub', action: 'history', topic };
    if (limit !== undefined) {
      frame.limit = limit;
    }
    if (since !== undefined) {
      frame.since = { [topic]: since };
    }
    return this.#acked(frame);
  }

  /** Who is subscribed to a presence topic, on every node: resolves with the ack ({data, count}). */
  presence(topic) {
    return this.#acked({ mode: 'pub_sub', action: 'presence', topic });
  }

  /** A sub frame: `withSince` puts the known positions of these topics in it; the ack updates them. */
  #subscribeFrame(names, withSince, presenceEvents) {
    const frame = { mode: 'pub_sub', action: 'sub', topic: names };
    if (withSince) {
      const since = {};
      names.filter(name => this.#positions.has(name)).forEach(name => { since[name] = this.#positions.get(name); });
      if (Object.keys(since).length > 0) {
        frame.since = since;
      }
    }
    if (presenceEvents) {
      frame.presence_events = true;
    }
    return this.#acked(frame).then(ack => {
      for (const [name, position] of Object.entries(ack.position ?? {})) {
        const recovered = ack.recovered?.[name];
        const known = this.#positions.get(name);
        // recovered: the missed ones follow the ack, the known position stays until they come;
        // not recovered: the stream continues after the position, whatever was known before
        if (recovered === false || !known || known.epoch !== position.epoch) {
          this.#positions.set(name, { offset: position.offset, epoch: position.epoch });
        }
        if (recovered !== undefined) {
          this.dispatchEvent(new RecoveryEvent(name, recovered, { ...position }));
        }
      }
      return ack;
    });
  }

  /** Removes `handler` (or every handler) and unsubscribes topics nobody listens to any more. */
  unsubscribe(topics, handler) {
    const names = [].concat(topics).filter(name => {
      const handlers = this.#topics.get(name);
      if (handler && handlers) {
        handlers.delete(handler);
        if (handlers.size > 0) {
          return false;
        }
      }
      this.#topics.delete(name);
      this.#positions.delete(name);
      this.#presenceEvents.delete(name);
      return true;
    });
    return names.length === 0 ? Promise.resolve(null) : this.#acked({ mode: 'pub_sub', action: 'unsub', topic: names });
  }

  /** Publishes on a topic; with `ack: true` resolves with the gateway's acknowledgement. */
  publish(topic, data, { code = 200, msg = '', ack = false } = {}) {
    const frame = { mode: 'pub_sub', action: 'pub', topic, code, msg, data };
    if (ack) {
      return this.#acked(frame);
    }
    this.#send(frame);
    return Promise.resolve(null);
  }

  /** Closes for good: no reconnect; open requests reject. */
  close() {
    this.#closedByUser = true;
    clearTimeout(this.#reconnectTimer);
    this.#failAll('client closed');
    this.#ws?.close(1000);
  }

  #acked(frame) {
    const id = this.#id();
    return new Promise((resolve, reject) => {
      this.#track(id, { resolve, reject }, this.#options.timeout, 'no acknowledgement');
      this.#send({ ...frame, id });
    });
  }

  /** Registers a pending answer that fails with 504 after `timeout` ms, after `onTimeout` ran. */
  #track(id, entry, timeout, message, onTimeout) {
    entry.timer = setTimeout(() => {
      onTimeout?.();
      this.#settle(id, new GatewayError(504, message, null));
    }, timeout);
    this.#pending.set(id, entry);
  }

  #cancel(id) {
    this.#send({ mode: 'req_res', action: 'cancel', id });
  }

  #id() {
    this.#nextId += 1;
    return `c${this.#nextId}`;
  }

  #send(frame) {
    if (this.connected) {
      this.#ws.send(JSON.stringify(frame));
    } else {
      this.#queue.push(frame);
    }
  }

  #open() {
    const Impl = this.#options.WebSocket ?? globalThis.WebSocket;
    if (!Impl) {
      throw new Error('no WebSocket: use a browser or Node 22+ (Node 20: --experimental-websocket)');
    }
    const ws = new Impl(this.#url);
    this.#ws = ws;
    ws.onopen = () => {
      const reconnected = this.#attempt > 0;
      this.#attempt = 0;
      if (reconnected && this.#topics.size > 0) {
        // history topics come back with since: what was missed meanwhile is replayed first
        const names = [...this.#topics.keys()];
        const plain = names.filter(name => !this.#presenceEvents.has(name));
        const withEvents = names.filter(name => this.#presenceEvents.has(name));
        if (plain.length > 0) {
          this.#subscribeFrame(plain, true, false).catch(err => this.#error(err));
        }
        if (withEvents.length > 0) {
          this.#subscribeFrame(withEvents, true, true).catch(err => this.#error(err));
        }
      }
      const queued = this.#queue;
      this.#queue = [];
      queued.forEach(frame => ws.send(JSON.stringify(frame)));
      this.#openedResolve(this);
      this.dispatchEvent(new Event(reconnected ? 'reconnect' : 'open'));
    };
    ws.onmessage = event => this.#receive(event.data);
    ws.onerror = () => {
      this.#error(new Error('WebSocket error'));
      // some implementations (Node 20's) report a refused connection with no close event
      if (ws.readyState === 0) {
        this.#ended(ws, 1006, 'connection failed');
      }
    };
    ws.onclose = event => this.#ended(ws, event.code, event.reason);
  }

  /** The end of one socket, whichever of error and close says so first. */
  #ended(ws, code, reason) {
    if (ws !== this.#ws) {
      return;
    }
    this.#ws = null;
    // a request cannot survive its connection: the server told its handler the client went
    this.#failAll(`connection lost (${code})`);
    const closeEvent = new Event('close');
    closeEvent.code = code;
    closeEvent.reason = reason;
    this.dispatchEvent(closeEvent);
    if (!this.#closedByUser && this.#options.reconnect) {
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect() {
    const { minDelayMs, maxDelayMs } = this.#options;
    const ceiling = Math.min(maxDelayMs, minDelayMs * 2 ** this.#attempt);
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => this.#open(), delay);
  }

  #receive(text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch {
      this.#error(new Error('frame is not JSON'));
      return;
    }
    if (frame.action === 'pub') {
      this.#publication(frame);
      return;
    }
    if (frame.action === 'join' || frame.action === 'leave') {
      this.dispatchEvent(new PublicationEvent(frame.action, frame));
      this.dispatchEvent(new PublicationEvent(`presence:${frame.topic}`, frame));
      return;
    }
    const entry = frame.id !== undefined ? this.#pending.get(frame.id) : undefined;
    if (!entry) {
      if (frame.code !== undefined && frame.code !== 200) {
        this.#error(new GatewayError(frame.code, frame.msg, frame));
      } else {
        this.dispatchEvent(new PublicationEvent('message', frame));
      }
      return;
    }
    if (frame.more) {
      entry.onProgress?.(frame);
      return;
    }
    this.#settle(frame.id, frame.code === 200 ? null : new GatewayError(frame.code, frame.msg, frame), frame);
  }

  #publication(frame) {
    if (typeof frame.offset === 'number' && typeof frame.epoch === 'string') {
      const known = this.#positions.get(frame.topic);
      if (known && known.epoch === frame.epoch && frame.offset <= known.offset) {
        return; // had it already: one unbroken stream, each publication once
      }
      this.#positions.set(frame.topic, { offset: frame.offset, epoch: frame.epoch });
    }
    this.#topics.get(frame.topic)?.forEach(handler => {
      try {
        handler(frame);
      } catch (err) {
        this.#error(err);
      }
    });
    this.dispatchEvent(new PublicationEvent(`topic:${frame.topic}`, frame));
    this.dispatchEvent(new PublicationEvent('publication', frame));
  }

  #settle(id, error, frame) {
    const entry = this.#pending.get(id);
    if (!entry) {
      return;
    }
    this.#pending.delete(id);
    clearTimeout(entry.timer);
    entry.cleanup?.();
    if (error) {
      entry.reject(error);
    } else {
      entry.resolve(frame);
    }
  }

  #failAll(reason) {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, new GatewayError(503, reason, null));
    }
    // topics are re-subscribed on reconnect; anything else queued belonged to a failed request
    this.#queue = [];
  }

  #error(err) {
    const event = new Event('error');
    event.error = err;
    this.dispatchEvent(event);
  }
}

function withToken(url, token) {
  const parsed = new URL(url);
  parsed.searchParams.set('token', token);
  return parsed.toString();
}
