import type { PeerIdString } from '../identity/peer-id.js';

/** A chat line or data received by this node. */
export interface InboundMessage {
  /** Message ID in hex. */
  id: string;
  /** How it arrived. */
  kind: 'direct' | 'broadcast';
  /** Author's peer ID. */
  from: PeerIdString;
  /** Author's name. */
  fromName: string;
  /** The text (chat payload), if any. */
  text?: string;
  /** Opaque data payload, if any. */
  data?: Uint8Array;
  /** Author's clock when written, ms since epoch. */
  sentAtMs?: number;
  /** This node's clock on arrival, ms since epoch. */
  receivedAtMs: number;
  /** Hops it travelled. */
  hops: number;
}
