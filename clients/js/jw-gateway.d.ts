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

/** Where a client stands on a history topic. */
export interface Position {
  offset: number;
  epoch: string;
}

/** An entry of a presence topic: one subscribed connection. */
export interface PresenceEntry {
  conn: string;
  principal: string | null;
  node: string;
}

export interface SubscribeOptions {
  /** Recover what was missed on history topics since these positions. */
  since?: Record<string, Position>;
  /** Also receive join/leave events of presence topics. */
  presenceEvents?: boolean;
}

export interface ConnectOptions {
  /** JWT sent as the `token` query parameter (browsers cannot set headers on a WebSocket). */
  token?: string;
  /** Reconnect after a lost connection, re-subscribing every topic, history topics with `since` (default true). */
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

/** After a re-subscription with since: `recovered` false means publications were missed. */
export declare class RecoveryEvent extends Event {
  constructor(topic: string, recovered: boolean, position: Position);
  readonly topic: string;
  readonly recovered: boolean;
  readonly position: Position;
}

export declare class Client extends EventTarget {
  constructor(url: string, options?: ConnectOptions);
  /** Resolves with the client on its first open. */
  readonly opened: Promise<Client>;
  readonly connected: boolean;
  request(command: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: RequestOptions): Promise<Frame>;
  dialogue(command: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: { timeout?: number }): Dialogue;
  subscribe(topics: string | string[], handler?: (frame: Frame) => void, options?: SubscribeOptions): Promise<Frame>;
  /** The last publication received on a history topic. */
  position(topic: string): Position | undefined;
  /** The publications a history topic holds: the ack with `data` (frames with offset and epoch) and `position`. */
  history(topic: string, options?: { limit?: number; since?: Position }): Promise<Frame & { data: Frame[]; position: Record<string, Position> }>;
  /** Who is subscribed to a presence topic on every node. */
  presence(topic: string): Promise<Frame & { data: PresenceEntry[]; count: number }>;
  unsubscribe(topics: string | string[], handler?: (frame: Frame) => void): Promise<Frame | null>;
  publish(topic: string, data: unknown, options?: { code?: number; msg?: string; ack?: boolean }): Promise<Frame | null>;
  close(): void;
}

/**
 * Events: `open`, `close` (with `code`, `reason`), `reconnect`, `error` (with `error`), `publication`,
 * `topic:<name>`, `message` (pushes), `recovery` (RecoveryEvent), `join`, `leave` and `presence:<name>`
 * (PublicationEvent whose frame's `data` is a PresenceEntry).
 */
export declare function connect(url: string, options?: ConnectOptions): Client;
