import type { DecodedEnvelope, p2p } from '../codec/wire.js';
import type { P2PError } from '../errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from '../framing/frame-encoder.js';
import type { Session } from './session.js';

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
}

/** Defaults of SessionOptions. */
export const DEFAULT_SESSION_OPTIONS: Required<SessionOptions> = {
  handshakeTimeoutMs: 5000,
  maxQueueBytes: 8 * 1024 * 1024,
  framesPerSecond: 2000,
  frameBurst: 4000,
  maxFrameSize: DEFAULT_MAX_FRAME_SIZE,
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

/** What a session tells its owner. */
export interface SessionHandlers {
  /** The Hello this side sends (called at connect and for the load in Pongs). */
  localHello(): p2p.v1.IHello;
  /** The peer's Hello was accepted. */
  onOpen(session: Session): void;
  /** An envelope other than hello/goodbye/ping/pong arrived on an open session. */
  onEnvelope(session: Session, envelope: DecodedEnvelope): void;
  /** The session ended; `wasOpen` tells whether onOpen had been called. */
  onClose(session: Session, reason: string, wasOpen: boolean): void;
  /** A problem worth a warning (bad frames, version mismatch, identity mismatch). */
  onWarning?(session: Session, error: P2PError, detail?: string): void;
}
