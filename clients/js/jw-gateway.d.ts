// Type declarations of jw-gateway.js (the envelope of shared/PROTOCOL.md).

export interface Frame {
  mode: 'req_res' | 'pub_sub' | string;
  action: 'res' | 'ack' | 'pub' | string;
  src?: string;
  code?: number;
  msg?: string;
  data?: unknown;
  command?: string;
  topic?: string | string[];
  id?: string | number;
  more?: boolean;
  [field: string]: unknown;
}

export interface ConnectOptions {
  /** JWT sent as the `token` query parameter (browsers cannot set headers on a WebSocket). */
  token?: string;
  /** Reconnect after a lost connection, re-subscribing every topic (default true). */
  reconnect?: boolean;
  /** Backoff: first delay and cap, in ms, with jitter (defaults 250 and 10000). */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Default request timeout in ms (30000). */
  timeout?: number;
  /** A WebSocket implementation when there is no global one. */
  WebSocket?: typeof WebSocket;
}

export interface RequestOptions {
  timeout?: number;
  /** Called with every intermediate response (`more: true`). */
  onProgress?: (frame: Frame) => void;
  /** Aborting it sends `cancel`; the request then rejects with code 499. */
  signal?: AbortSignal;
}

export interface Dialogue {
  id: string;
  /** The answer to the opening request. */
  first: Promise<Frame>;
  /** The final response. */
  done: Promise<Frame>;
  /** Sends the next round and resolves with its answer. */
  send(args?: unknown[], kwargs?: Record<string, unknown>): Promise<Frame>;
  cancel(): void;
}

export declare class GatewayError extends Error {
  constructor(code: number, msg: string, frame: Frame | null);
  readonly code: number;
  readonly msg: string;
  readonly frame: Frame | null;
}

export declare class PublicationEvent extends Event {
  constructor(type: string, frame: Frame);
  readonly frame: Frame;
  readonly detail: Frame;
}

export declare class Client extends EventTarget {
  constructor(url: string, options?: ConnectOptions);
  /** Resolves with the client on its first open. */
  readonly opened: Promise<Client>;
  readonly connected: boolean;
  request(command: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: RequestOptions): Promise<Frame>;
  dialogue(command: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: { timeout?: number }): Dialogue;
  subscribe(topics: string | string[], handler?: (frame: Frame) => void): Promise<Frame>;
  unsubscribe(topics: string | string[], handler?: (frame: Frame) => void): Promise<Frame | null>;
  publish(topic: string, data: unknown, options?: { code?: number; msg?: string; ack?: boolean }): Promise<Frame | null>;
  close(): void;
}

/** Events: `open`, `close` (with `code`, `reason`), `reconnect`, `error` (with `error`), `publication`, `topic:<name>`, `message` (pushes). */
export declare function connect(url: string, options?: ConnectOptions): Client;
