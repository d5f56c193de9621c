import { randomInt } from 'node:crypto';
import { decodeEnvelope } from '../codec/envelope-codec.js';
import { SUPPORTED_VERSIONS, v1, type DecodedEnvelope, type Envelope, type p2p } from '../codec/wire.js';
import {
  HandshakeTimeoutError, IdentityMismatchError, InvalidNameError, MalformedFrameError, P2PError, PingTimeoutError, RateLimitedError,
  SessionClosedError, UnknownMessageError, UnsupportedVersionError,
} from '../errors.js';
import { encodeFrame } from '../framing/frame-encoder.js';
import { FrameDecoder } from '../framing/frame-decoder.js';
import { MAX_VARINT_BYTES } from '../framing/varint.js';
import { receivedFrames } from '../framing/frame-pool.js';
import { createFairQueue, type FairQueue } from '../flow/fair-queue.js';
import { PEER_ID_BYTES, peerIdToString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { TransportConnection } from '../transport/types.js';
import { nameProblem } from '../text/sanitize.js';
import { monotonicNow, type Clock, type TimerHandle } from '../util/clock.js';
import { TokenBucket } from './token-bucket.js';
import {
  DEFAULT_SESSION_OPTIONS, type PeerSession, type SessionCounters, type SessionHandlers, type SessionOptions, type SessionState,
} from './types.js';

/** Longest instance ID a Hello may carry (ours are 16 bytes). */
export const MAX_INSTANCE_ID_BYTES = 64;
/** Longest agent string a Hello may carry. */
export const MAX_AGENT_LENGTH = 256;

export type { SessionState } from './types.js';

const GoodbyeReason = v1.GoodbyeReason;
/** Name of a goodbye reason without its prefix, e.g. SHUTDOWN. */
export function goodbyeReasonName(reason: number | null | undefined): string {
  return (GoodbyeReason[reason ?? 0] ?? 'UNSPECIFIED').replace(/^GOODBYE_REASON_/, '');
}

/** Frames from this size up are received into buffers of the shared pool (receivedFrames). */
export const LARGE_FRAME_BYTES = 64 * 1024;

// An encoded frame is a slice of protobufjs's shared 8 KiB buffers; one that waits in a queue gets a buffer of its
// own, or a queue of small frames could hold a whole shared buffer for each and its byte bound would mean nothing.
const ownBuffer = (frame: Uint8Array): Uint8Array =>
  frame.byteLength === frame.buffer.byteLength ? frame : Uint8Array.prototype.slice.call(frame);

/** Send-queue lane of the session's own traffic (pings, pongs, acks, anything sent without a lane). */
export const SESSION_LANE = 'session';

/**
 * One framed session over a transport connection: Hello exchange, then envelopes both ways, with a bounded send
 * queue, a frame rate limit, automatic Pong answers, and a Goodbye on purposeful close.
 */
export class Session implements PeerSession {
  /** Lifecycle state. */
  state: SessionState = 'handshaking';
  /** Peer ID of the other side, known once its Hello is accepted. */
  remotePeerId: PeerIdString | undefined;
  /** The other side's Hello. */
  remoteHello: p2p.v1.IHello | undefined;
  /** Load the peer last reported (Hello or Pong). */
  remoteLoad = 0;
  /** Monotonic clock time (Clock.monotonic) of the last frame received. */
  lastReceivedAt: number;
  /** Pings sent since the last frame received. */
  unansweredPings = 0;
  /** Last measured round-trip time, ms. */
  rttMs: number | undefined;
  /** Why it closed, once closed. */
  closeReason: string | undefined;
  /** When it opened (clock.now()), 0 until then. */
  openedAt = 0;

  private readonly decoder: FrameDecoder;
  private readonly bucket: TokenBucket;
  private readonly options: Required<SessionOptions>;
  private readonly clock: Clock;
  // Frames waiting for the socket, in lanes served in turn: a flood relayed for one neighbour waits behind
  // itself, not in front of everybody else's messages and the pings.
  private readonly queue: FairQueue<Uint8Array>;
  // Bulk frames (file blocks) wait here and go out only when every lane of the queue is empty, so a transfer never
  // delays chat, pings or acknowledgements by more than the one bulk frame already in the socket.
  private bulk: { frame: Uint8Array; written?: () => void }[] = [];
  private bulkBytes = 0;
  private blocked = false;
  private rateDrops = 0;
  private handshakeTimer: TimerHandle;
  private destroyTimer: TimerHandle;
  private readonly pings = new Map<number, number>();
  private readonly pingWaiters = new Map<number, { resolve: (ms: number) => void; reject: (e: Error) => void; timer: TimerHandle }>();
  private closeWaiters: (() => void)[] = [];
  private settleWaiters: (() => void)[] = [];

  constructor(
    readonly conn: TransportConnection,
    private readonly handlers: SessionHandlers,
    private readonly counters: SessionCounters,
    options: SessionOptions = {},
    /** The peer this connection was dialled for; anything else is refused. */
    readonly expectedPeerId?: PeerIdString,
  ) {
    this.options = { ...DEFAULT_SESSION_OPTIONS, ...options };
    this.clock = this.options.clock;
    this.lastReceivedAt = monotonicNow(this.clock);
    // Large frames (file blocks) are assembled in reused buffers: see FramePool.
    this.decoder = new FrameDecoder({
      maxFrameSize: this.options.maxFrameSize,
      largeFrames: {
        threshold: LARGE_FRAME_BYTES, alloc: (n) => receivedFrames.take(n), release: (frame) => receivedFrames.give(frame),
        // Not before the Hello: three bytes on a connection that has proven nothing must not take a pooled buffer.
        reuse: (n) => (this.state === 'open' ? receivedFrames.takeFree(n) : undefined),
      },
    });
    this.bucket = new TokenBucket(this.options.framesPerSecond, this.options.frameBurst);
    this.queue = createFairQueue<Uint8Array>({
      maxTotal: this.options.maxQueueBytes, maxPerKey: Math.ceil(this.options.maxQueueBytes / 2), weigh: (f) => f.length,
    });
    const stream = conn.stream;
    stream.on('drain', () => this.flush());
    stream.on('error', (err) => this.finish(`socket-error: ${err.message}`));
    stream.on('close', () => this.finish(this.closeReason ?? 'socket-closed'));
    stream.on('end', () => { if (this.state !== 'closed') this.finish(this.closeReason ?? 'socket-ended'); });
    this.handshakeTimer = this.clock.setTimeout(() => {
      if (this.state === 'handshaking') {
        this.close(GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, 'no hello in time', new HandshakeTimeoutError(this.options.handshakeTimeoutMs));
      }
    }, this.options.handshakeTimeoutMs);
    this.writeFrame(encodeFrame({ hello: handlers.localHello() }));
    // Reading starts last, once the session is whole and its Hello is on its way.
    if (conn.readInto) conn.readInto((chunk) => this.onData(chunk, true));
    else stream.on('data', (chunk: Buffer) => this.onData(chunk, false));
  }

  /** Who opened the connection. */
  get direction(): 'inbound' | 'outbound' { return this.conn.direction; }
  /** Remote socket address. */
  get remoteAddress(): HostPort { return this.conn.remote; }
  /** Peer ID the transport proved (TLS certificate key); undefined when it proves nothing (insecure). */
  get authenticatedPeerId(): PeerIdString | undefined { return this.conn.authenticatedPeerId; }
  /** The key the transport proved (SubjectPublicKeyInfo DER), when it proves one. */
  get authenticatedPublicKey(): Uint8Array | undefined { return this.conn.authenticatedPublicKey; }
  /** Bytes waiting in the send queue. */
  get pendingBytes(): number { return this.queue.weight + this.bulkBytes; }

  /**
   * Queues bulk data (a file block) behind every other frame: it is written only when nothing else waits. False
   * when the session is not open or the bulk queue holds maxQueueBytes already (the frame is dropped and counted).
   */
  sendBulk(envelope: Envelope): boolean {
    const frame = this.encodeOrDrop(envelope);
    return frame !== undefined && this.queueBulk(frame, undefined, true);
  }

  /**
   * Like sendBulk, for a frame already encoded with its length prefix (a holder lays out a block's frame and reads the
   * file straight into it). False when not open, when it is larger than a frame may be, or when the bulk queue is full.
   * `written` is called once the socket is done with the frame's bytes (the sender may then reuse the buffer); never
   * for a frame that is dropped.
   */
  sendBulkFrame(frame: Uint8Array, written?: () => void): boolean {
    if (this.state !== 'open') return false;
    if (frame.length > this.options.maxFrameSize + MAX_VARINT_BYTES) {
      this.counters.framesDropped++;
      return false;
    }
    return this.queueBulk(frame, written);
  }

  private queueBulk(frame: Uint8Array, written?: () => void, encoded = false): boolean {
    if (!this.conn.stream.writable) return false;
    if (this.blocked || this.queue.length > 0 || this.bulk.length > 0) {
      if (this.bulkBytes + frame.length > this.options.maxQueueBytes) {
        this.counters.framesDropped++;
        return false;
      }
      this.bulk.push({ frame: encoded ? ownBuffer(frame) : frame, written });
      this.bulkBytes += frame.length;
      return true;
    }
    this.writeNow(frame, written);
    return true;
  }

  /**
   * Queues an envelope; false when the session is not open or its queue is full (the frame is dropped and counted).
   * `lane` says whose traffic it is (e.g. the neighbour a relayed broadcast came from): while the socket is slow,
   * lanes are served in turn and none may hold more than half of the queue.
   */
  send(envelope: Envelope, lane = SESSION_LANE): boolean {
    const frame = this.encodeOrDrop(envelope);
    return frame !== undefined && this.writeFrame(frame, lane);
  }

  // The frame of an envelope for an open session; one that cannot be encoded (too large) is dropped and counted.
  private encodeOrDrop(envelope: Envelope): Uint8Array | undefined {
    if (this.state !== 'open') return undefined;
    try {
      return encodeFrame(envelope, this.options.maxFrameSize);
    } catch {
      this.counters.framesDropped++;
      return undefined;
    }
  }

  // Writes at once; a full socket buffer holds further frames in the queues until 'drain'. Frames written in one
  // turn of the event loop leave together when it ends (cork until the next tick): one TLS record and one system
  // call for a burst of small frames instead of one each, and no wait for a frame written alone.
  private writeNow(frame: Uint8Array, written?: () => void): void {
    this.counters.framesSent++;
    this.counters.bytesSent += frame.length;
    const stream = this.conn.stream;
    if (!this.corked) {
      this.corked = true;
      stream.cork();
      process.nextTick(this.uncork);
    }
    if (!stream.write(frame, written && (() => written()))) this.blocked = true;
  }

  private corked = false;
  private readonly uncork = (): void => {
    this.corked = false;
    this.conn.stream.uncork();
  };

  private writeFrame(frame: Uint8Array, lane = SESSION_LANE): boolean {
    const stream = this.conn.stream;
    if (!stream.writable) return false;
    if (this.blocked || this.queue.length > 0) {
      if (!this.queue.push(lane, ownBuffer(frame))) {
        this.counters.framesDropped++;
        return false;
      }
      return true;
    }
    this.writeNow(frame);
    return true;
  }

  private flush(): void {
    this.blocked = false;
    const stream = this.conn.stream;
    while (this.queue.length > 0 && !this.blocked && stream.writable) this.writeNow(this.queue.shift()!.item);
    while (this.queue.length === 0 && this.bulk.length > 0 && !this.blocked && stream.writable) {
      const { frame, written } = this.bulk.shift()!;
      this.bulkBytes -= frame.length;
      this.writeNow(frame, written);
    }
  }

  /** Sends a Ping carrying a fresh nonce; returns the nonce. */
  sendPing(): number {
    const nonce = randomInt(2 ** 47);
    this.pings.set(nonce, monotonicNow(this.clock));
    // Only the last few pings can still be answered usefully: bound the table.
    if (this.pings.size > 16) this.pings.delete(this.pings.keys().next().value!);
    this.unansweredPings++;
    this.send({ ping: { nonce, sentAtMs: this.clock.now() } });
    return nonce;
  }

  /** Measures one round trip now. */
  ping(timeoutMs: number): Promise<number> {
    if (this.state !== 'open') return Promise.reject(new SessionClosedError(this.closeReason ?? this.state));
    const nonce = this.sendPing();
    return new Promise<number>((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pingWaiters.delete(nonce);
        reject(new PingTimeoutError(this.remotePeerId ?? '?', timeoutMs));
      }, timeoutMs);
      this.pingWaiters.set(nonce, { resolve, reject, timer });
    });
  }

  /** Says Goodbye with `reason` and closes; the socket is destroyed if the peer does not close within a second. */
  close(reason: number, detail = '', error?: P2PError): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    const name = goodbyeReasonName(reason);
    this.closeReason = `local:${name}${detail ? ` (${detail})` : ''}`;
    if (error) this.handlers.onWarning?.(this, error);
    this.state = 'closing';
    this.settle();
    this.queue.clear();
    this.bulk = [];
    this.bulkBytes = 0;
    this.blocked = false;
    this.writeFrame(encodeFrame({ goodbye: { reason, detail } }));
    this.conn.stream.end();
    this.destroyTimer = this.clock.setTimeout(() => this.conn.stream.destroy(), 1000);
  }

  /** Destroys the connection at once, without a Goodbye (peer declared dead, node killed). */
  destroy(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason = reason;
    this.conn.stream.destroy();
    this.finish(reason);
  }

  /** Resolves once the handshake is over: the session is open, or it closed. */
  settled(): Promise<void> {
    if (this.state !== 'handshaking') return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push(resolve));
  }

  private settle(): void {
    const w = this.settleWaiters;
    this.settleWaiters = [];
    for (const f of w) f();
  }

  /** Resolves once the session is closed. */
  closed(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
  }

  private finish(reason: string): void {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open' || (this.state === 'closing' && this.remotePeerId !== undefined && this.openedAt > 0);
    this.state = 'closed';
    this.closeReason = reason;
    this.clock.clearTimeout(this.handshakeTimer);
    this.clock.clearTimeout(this.destroyTimer);
    if (!this.conn.stream.destroyed) this.conn.stream.destroy();
    for (const w of this.pingWaiters.values()) { this.clock.clearTimeout(w.timer); w.reject(new SessionClosedError(reason)); }
    this.pingWaiters.clear();
    this.queue.clear();
    this.bulk = [];
    this.bulkBytes = 0;
    this.decoder.abandon();
    this.handlers.onClose(this, reason, wasOpen);
    this.settle();
    for (const w of this.closeWaiters) w();
    this.closeWaiters = [];
  }

  private protocolError(err: P2PError): void {
    this.counters.framesDropped++;
    this.close(GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, err.message, err);
  }

  // `transient`: the chunk's buffer is reused once this returns (see TransportConnection.readInto).
  private onData(chunk: Uint8Array, transient: boolean): void {
    if (this.state === 'closed') return;
    this.counters.bytesReceived += chunk.length;
    let frames: Uint8Array[];
    try {
      frames = this.decoder.push(chunk, transient);
    } catch (err) {
      return this.protocolError(err instanceof P2PError ? err : new MalformedFrameError(String(err)));
    }
    for (const frame of frames) {
      if ((this.state as SessionState) === 'closed') return;
      this.counters.framesReceived++;
      this.lastReceivedAt = monotonicNow(this.clock);
      this.unansweredPings = 0;
      let envelope: DecodedEnvelope;
      try {
        envelope = decodeEnvelope(frame);
      } catch (err) {
        // A newer peer's message type we do not know: skip it, the session stays up.
        if (err instanceof UnknownMessageError) { this.counters.framesDropped++; continue; }
        return this.protocolError(err as P2PError);
      }
      if (envelope.body === 'goodbye') {
        const g = envelope.goodbye!;
        const name = goodbyeReasonName(g.reason);
        if (g.reason === GoodbyeReason.GOODBYE_REASON_INCOMPATIBLE_VERSION) {
          this.handlers.onWarning?.(this, new UnsupportedVersionError(this.remoteHello?.protocolVersion ?? 0, SUPPORTED_VERSIONS), g.detail ?? '');
        }
        this.conn.stream.end();
        this.finish(`goodbye:${name}${g.detail ? ` (${g.detail})` : ''}`);
        return;
      }
      if (this.state === 'closing') continue;
      if (this.state === 'handshaking') {
        if (envelope.body !== 'hello') {
          return this.protocolError(new MalformedFrameError(`expected hello, got ${envelope.body}`));
        }
        this.onHello(envelope.hello!);
        continue;
      }
      if (!this.bucket.take()) {
        this.counters.framesDropped++;
        this.rateDrops++;
        if (this.rateDrops > this.options.frameBurst) {
          this.close(GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR, 'frame rate limit exceeded',
            new RateLimitedError(`peer ${this.remotePeerId} exceeded ${this.options.framesPerSecond} frames/s`));
          return;
        }
        continue;
      }
      this.rateDrops = 0;
      switch (envelope.body) {
        case 'ping':
          this.send({ pong: { nonce: envelope.ping!.nonce, pingSentAtMs: envelope.ping!.sentAtMs, load: this.handlers.localHello().load } });
          break;
        case 'pong':
          this.onPong(envelope.pong!);
          break;
        case 'hello':
          break;
        default:
          this.handlers.onEnvelope(this, envelope);
      }
    }
  }

  private onPong(pong: p2p.v1.IPong): void {
    const nonce = Number(pong.nonce ?? 0);
    this.remoteLoad = pong.load ?? this.remoteLoad;
    const sentAt = this.pings.get(nonce);
    if (sentAt === undefined) return;
    this.pings.delete(nonce);
    this.rttMs = Math.round((monotonicNow(this.clock) - sentAt) * 1000) / 1000;
    const waiter = this.pingWaiters.get(nonce);
    if (waiter) {
      this.clock.clearTimeout(waiter.timer);
      this.pingWaiters.delete(nonce);
      waiter.resolve(this.rttMs);
    }
  }

  private onHello(hello: p2p.v1.IHello): void {
    this.remoteHello = hello;
    const version = hello.protocolVersion ?? 0;
    if (!SUPPORTED_VERSIONS.includes(version)) {
      const err = new UnsupportedVersionError(version, SUPPORTED_VERSIONS);
      this.close(GoodbyeReason.GOODBYE_REASON_INCOMPATIBLE_VERSION,
        `protocol version ${version} is not supported; this node speaks version ${SUPPORTED_VERSIONS.join(', ')}`, err);
      return;
    }
    if (!hello.peerId || hello.peerId.length !== PEER_ID_BYTES) {
      this.protocolError(new MalformedFrameError('hello carries no valid peer ID'));
      return;
    }
    const badName = nameProblem(hello.name ?? '');
    if (badName) {
      this.protocolError(new InvalidNameError(`hello name ${badName.startsWith('contains') ? badName : `is ${badName}`}`));
      return;
    }
    // Our nodes send 16 random bytes and a short agent; the peer book keeps the instance ID of up to 10,000 peers,
    // so a stranger must not choose how big it is.
    if ((hello.instanceId?.length ?? 0) > MAX_INSTANCE_ID_BYTES || (hello.agent?.length ?? 0) > MAX_AGENT_LENGTH) {
      this.protocolError(new MalformedFrameError(`hello instance ID (at most ${MAX_INSTANCE_ID_BYTES} bytes) or agent (at most ${MAX_AGENT_LENGTH} characters) is too long`));
      return;
    }
    const claimed = peerIdToString(hello.peerId);
    const proven = this.conn.authenticatedPeerId;
    if (proven && proven !== claimed) {
      this.close(GoodbyeReason.GOODBYE_REASON_IDENTITY_MISMATCH, 'hello peer ID differs from the certificate key',
        new IdentityMismatchError(proven, claimed, 'hello claims another peer ID than the certificate proves'));
      return;
    }
    if (this.expectedPeerId && this.expectedPeerId !== claimed) {
      this.close(GoodbyeReason.GOODBYE_REASON_IDENTITY_MISMATCH, 'not the peer dialled',
        new IdentityMismatchError(this.expectedPeerId, claimed));
      return;
    }
    this.clock.clearTimeout(this.handshakeTimer);
    this.remotePeerId = claimed;
    this.remoteLoad = hello.load ?? 0;
    this.state = 'open';
    this.openedAt = this.clock.now();
    this.handlers.onOpen(this);
    this.settle();
  }
}
