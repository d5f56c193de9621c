import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';

/** A negative outcome of a Direct on some branch of its path. */
export type NegativeStatus = 'unreachable' | 'too-many-hops';

/**
 * What a node remembers about one Direct it sent or forwarded: where the acknowledgement must go back to, and which
 * next hops still owe an answer. A node answers upstream with a failure only once every branch it opened failed,
 * so a dead end on one branch of a flood never hides a delivery on another.
 */
export interface ForwardRecord {
  /** Message ID, hex. */
  key: string;
  /** The Direct as this node sends it on (hop_count already counted). */
  direct: p2p.v1.IDirect;
  /** The recipient. */
  to: PeerIdString;
  /** The neighbour it came from; undefined at the author. */
  upstream: PeerIdString | undefined;
  /** Next hops that have it and have not answered. */
  outstanding: Set<PeerIdString>;
  /** Every next hop tried, answered or not. */
  tried: Set<PeerIdString>;
  /** True once it went to every neighbour rather than along one route. */
  flooded: boolean;
  /** True once an outcome went upstream (a delivery, or the final failure). */
  done: boolean;
  /** The most telling failure heard so far. */
  worst: NegativeStatus | undefined;
}

/** Creates the record of a Direct about to be sent on. */
export function createForwardRecord(key: string, direct: p2p.v1.IDirect, to: PeerIdString, upstream: PeerIdString | undefined): ForwardRecord {
  return { key, direct, to, upstream, outstanding: new Set(), tried: new Set(), flooded: false, done: false, worst: undefined };
}

/** Of two failures, the one worth reporting: running out of hops says more than finding no way on. */
export function worseOf(a: NegativeStatus | undefined, b: NegativeStatus): NegativeStatus {
  return a === 'too-many-hops' || b === 'too-many-hops' ? 'too-many-hops' : 'unreachable';
}
