import type { FileService, Logger, NodeExtensions, P2PNode } from '@p2p/core';
import type { ControlRequest, ReplyBody } from '@p2p/control';
import type { Contacts } from '../contacts/index.js';
import type { Inbox } from '../inbox/index.js';

/** The node as the daemon holds it: the public API plus the extensions (connect, disconnect, envelopes). */
export type DaemonNode = P2PNode & NodeExtensions;

/** What handlers serve calls with; a new service (files, contacts, ...) adds its field here. */
export interface ControlDeps {
  /** The daemon's node. */
  node: DaemonNode;
  /** The durable inbox. */
  inbox: Inbox;
  /** Names bound to keys: recipients are resolved and peers labelled by it (without it, the node's own lookup). */
  contacts?: Contacts;
  /** File sharing: shares, search, downloads (absent in tests of other calls: its calls then answer NOT_STARTED). */
  files?: FileService;
  /** Where handlers log what the client is not told. */
  logger: Logger;
  /** Timeout of send, ping and connect when the request gives none, ms. */
  defaultTimeoutMs: number;
  /** The daemon's version, for status. */
  version: string;
  /** performance.now()-style clock in ms and its reading when the daemon started, for uptime. */
  now(): number;
  /** now() when the daemon started. */
  startedAt: number;
}

/** One call being served: how a handler answers it (once, or many times for streams). */
export interface CallContext {
  /** The request's id. */
  readonly id: number;
  /** Sends one more response for this call; false when the client is gone or fell too far behind. */
  send(body: ReplyBody): boolean;
  /**
   * Keeps the call open after the handler returns (a follow): it counts as in flight, so the client is not
   * idle, until the client goes; `cleanup` runs then.
   */
  keepOpen(cleanup: () => void): void;
  /** Resolves once the client has read what was sent so far (or is gone): long answers go at the client's pace. */
  drained(): Promise<void>;
}

/**
 * Serves one kind of call. Returning a body sends it as the answer; returning nothing means the handler sent
 * its answers itself through `call`. A thrown typed error becomes a ControlError (see @p2p/control's table).
 */
export type ControlHandler = (request: ControlRequest, call: CallContext, deps: ControlDeps) => Promise<ReplyBody | void> | ReplyBody | void;

/** The name of a call: the case of Request.call. */
export type CallName = NonNullable<ControlRequest['call']>;
