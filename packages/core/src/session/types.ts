import type { DecodedEnvelope, Envelope, p2p } from '../codec/wire.js';
import type { P2PError } from '../errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from '../framing/frame-encoder.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import { systemClock, type Clock } from '../util/clock.js';

/** Bounds and timings of a session; all have defaults. */
export interface SessionOptions {
  /** A connection that has not said Hello by then is closed; default 5000 ms. */
  handshakeTimeoutMs?: number;
  /** Cap on bytes waiting to be written (socket backpressure); beyond it frames are dropped and counted. Default 8 MiB. */
  maxQueueBytes?: number;
  /** Sustained frames per second accepted from the peer; default 2000. */
  framesPerSecond?: number;
  /** Frames the peer may send in a burst; default 4000. More than that many dropped in a row closes the session. */
  frameBurst?: number;
  /** Largest frame accepted or sent. */
  maxFrameSize?: number;
  /** Time source of every timer and timestamp of the session; the process clock by default. */
  clock?: Clock;
}

/** Defaults of SessionOptions. */
export const DEFAULT_SESSION_OPTIONS: Required<SessionOptions> = {
  handshakeTimeoutMs: 5000,
  maxQueueBytes: 8 * 1024 * 1024,
  framesPerSecond: 2000,
  frameBurst: 4000,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
  clock: systemClock,
};

/** Counters a node shares between its sessions. */
export interface SessionCounters {
  /** Bytes written. */
  bytesSent: number;
  /** Bytes read. */
  bytesReceived: number;
  /** Frames written. */
  framesSent: number;
  /** Frames read. */
  framesReceived: number;
  /** Frames dropped: malformed, oversized, rate-limited, unknown, or queue full. */
  framesDropped: number;
}

/** Lifecycle of a session. */
export type SessionState = 'handshaking' | 'open' | 'closing' | 'closed';

/**
 * A framed session with one peer as its owner sees it (the Session class implements it): what the node's
 * handlers, the peer table and the seed dialer read and call. Narrower views (liveness, seeds) pick from it.
 */
export interface PeerSession {
  /** Lifecycle state. */
  readonly state: SessionState;
  /** Peer ID of the other side, known once its Hello is accepted. */
  readonly remotePeerId: PeerIdString | undefined;
  /** The other side's Hello. */
  readonly remoteHello: p2p.v1.IHello | undefined;
  /** Load the peer last reported (Hello or Pong). */
  readonly remoteLoad: number;
  /** Clock time (monotonic ms) of the last frame received. */
  readonly lastReceivedAt: number;
  /** Pings sent since the last frame received. */
  readonly unansweredPings: number;
  /** Last measured round-trip time, ms. */
  readonly rttMs: number | undefined;
  /** Why it closed, once closed. */
  readonly closeReason: string | undefined;
  /** When it opened (ms since the epoch), 0 until then. */
  readonly openedAt: number;
  /** Who opened the connection. */
  readonly direction: 'inbound' | 'outbound';
  /** Remote socket address. */
  readonly remoteAddress: HostPort;
  /** Peer ID the transport proved (TLS certificate key); undefined when it proves nothing (insecure). */
  readonly authenticatedPeerId: PeerIdString | undefined;
  /** The key the transport proved (SubjectPublicKeyInfo DER), when it proves one. */
  readonly authenticatedPublicKey: Uint8Array | undefined;
  /** Bytes waiting in the send queue. */
  readonly pendingBytes: number;
  /** Queues an envelope in a send-queue lane (whose traffic it is; lanes are served in turn); false when the session is not open or its queue is full. */
  send(envelope: Envelope, lane?: string): boolean;
  /** Queues bulk data (file blocks) behind every other frame; false when not open or the bulk queue is full. */
  sendBulk(envelope: Envelope): boolean;
  /**
   * Queues an already framed bulk envelope (length prefix included) the same way; false when not open, too large or
   * full. `written` is called once the socket is done with the bytes (never for a dropped frame).
   */
  sendBulkFrame(frame: Uint8Array, written?: () => void): boolean;
  /** Sends a Ping carrying a fresh nonce; returns the nonce. */
  sendPing(): number;
  /** Measures one round trip now. */
  ping(timeoutMs: number): Promise<number>;
  /** Says Goodbye with `reason` (a wire GoodbyeReason) and closes. */
  close(reason: number, detail?: string, error?: P2PError): void;
  /** Destroys the connection at once, without a Goodbye. */
  destroy(reason: string): void;
  /** Resolves once the handshake is over: the session is open, or it closed. */
  settled(): Promise<void>;
  /** Resolves once the session is closed. */
  closed(): Promise<void>;
}

/** What a session tells its owner. */
export interface SessionHandlers {
  /** The Hello this side sends (called at connect and for the load in Pongs). */
  localHello(): p2p.v1.IHello;
  /** The peer's Hello was accepted. */
  onOpen(session: PeerSession): void;
  /** An envelope other than hello/goodbye/ping/pong arrived on an open session. */
  onEnvelope(session: PeerSession, envelope: DecodedEnvelope): void;
  /** The session ended; `wasOpen` tells whether onOpen had been called. */
  onClose(session: PeerSession, reason: string, wasOpen: boolean): void;
  /** A problem worth a warning (bad frames, version mismatch, identity mismatch). */
  onWarning?(session: PeerSession, error: P2PError, detail?: string): void;
}
