import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { v1 } from '../codec/wire.js';
import { encodeFrame } from '../framing/frame-encoder.js';
import { FrameDecoder } from '../framing/frame-decoder.js';
import { peerIdToString } from '../identity/peer-id.js';
import { PingTimeoutError } from '../errors.js';
import { VirtualClock } from '../testing/virtual-clock.js';
import { Session } from './session.js';
import { createReadRelay } from '../transport/read-relay.js';
import { decodeEnvelope } from '../codec/envelope-codec.js';
import type { SessionCounters, SessionHandlers } from './types.js';

/** A stream whose writes complete only when `release()` is called, like a socket whose peer stopped reading. */
class SlowPeer extends Duplex {
  written: Buffer[] = [];
  private held: (() => void)[] = [];
  constructor() { super({ writableHighWaterMark: 16 * 1024 }); }
  override _read(): void {}
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void { this.written.push(chunk); this.held.push(cb); }
  release(): void { const h = this.held; this.held = []; for (const cb of h) cb(); }
}

const remoteId = new Uint8Array(32).fill(1);
const hello = { protocolVersion: 1, peerId: remoteId, name: 'remote', listenPort: 1, role: v1.Role.ROLE_PEER, instanceId: new Uint8Array(16) };

function open(stream: Duplex, maxQueueBytes = 64 * 1024, clock?: VirtualClock) {
  const counters: SessionCounters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
  const events: string[] = [];
  const handlers: SessionHandlers = {
    localHello: () => ({ ...hello, peerId: new Uint8Array(32).fill(2), name: 'local' }),
    onOpen: () => events.push('open'),
    onEnvelope: (_s, env) => events.push(env.body),
    onClose: (_s, reason) => events.push(`close ${reason}`),
  };
  const session = new Session({ stream, direction: 'inbound', remote: { host: 'test', port: 1 } }, handlers, counters, { maxQueueBytes, ...(clock ? { clock, handshakeTimeoutMs: 5000 } : {}) });
  return { session, counters, events };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('Session', () => {
  it('queues behind backpressure up to a byte cap, drops and counts beyond it, and flushes on drain', async () => {
    const peer = new SlowPeer();
    const { session, counters, events } = open(peer);
    peer.push(encodeFrame({ hello }));
    await tick();
    expect(events).toEqual(['open']);
    expect(session.remotePeerId).toBe(peerIdToString(remoteId));
    const block = { broadcast: { messageId: new Uint8Array(16), data: new Uint8Array(1000) } };
    let refused = 0;
    for (let i = 0; i < 500; i++) if (!session.send(block)) refused++;
    expect(refused).toBeGreaterThan(0);
    expect(counters.framesDropped).toBe(refused);
    // One lane may hold half of the queue, so that other lanes always find room.
    expect(session.pendingBytes).toBeLessThanOrEqual(32 * 1024);
    expect(session.pendingBytes).toBeGreaterThan(28 * 1024);
    // The peer reads again: everything queued goes out.
    for (let i = 0; i < 5000 && session.pendingBytes > 0; i++) { peer.release(); await tick(); }
    expect(session.pendingBytes).toBe(0);
    expect(counters.framesSent + refused).toBe(501); // the Hello plus every accepted frame
  });

  it('gives each frame that waits in the queue a buffer of its own, not a slice of a shared one', async () => {
    const peer = new SlowPeer();
    const { session } = open(peer);
    peer.push(encodeFrame({ hello }));
    await tick();
    // Small frames are encoded into shared 8 KiB buffers; queued as slices, each could hold a whole one.
    for (let i = 0; i < 200; i++) expect(session.send({ broadcast: { messageId: new Uint8Array(16).fill(i), data: new Uint8Array(100) } })).toBe(true);
    for (let i = 0; i < 5000 && peer.written.length < 201; i++) { peer.release(); await tick(); }
    expect(peer.written).toHaveLength(201);
    const queued = peer.written.slice(-50);
    expect(queued.every((f) => f.byteLength === f.buffer.byteLength)).toBe(true);
  });

  it('reads nothing inside its constructor, even when the peer\'s Hello came before the session', async () => {
    const peer = new SlowPeer();
    const relay = createReadRelay(() => peer.destroy());
    const frame = encodeFrame({ hello });
    relay.onread.buffer.set(frame);
    relay.onread.callback(frame.length, relay.onread.buffer);
    const events: string[] = [];
    const counters: SessionCounters = { bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0 };
    const handlers: SessionHandlers = {
      localHello: () => ({ ...hello, peerId: new Uint8Array(32).fill(2), name: 'local' }),
      onOpen: () => events.push('open'),
      onEnvelope: (_s, env) => events.push(env.body),
      onClose: (_s, reason) => events.push(`close ${reason}`),
    };
    const session = new Session({ stream: peer, direction: 'outbound', remote: { host: 'test', port: 1 }, readInto: relay.readInto }, handlers, counters);
    expect(events).toEqual([]);
    await tick();
    expect(events).toEqual(['open']);
    // Our Hello went out before anything we sent after it.
    expect(decodeEnvelope(peer.written[0]!.subarray(1)).body).toBe('hello');
    session.destroy('test over');
  });

  it('serves send lanes in turn behind backpressure: a flooded lane does not delay another lane or the pings', async () => {
    const peer = new SlowPeer();
    const { session, counters } = open(peer);
    peer.push(encodeFrame({ hello }));
    await tick();
    const block = (i: number) => ({ broadcast: { messageId: new Uint8Array(16).fill(i & 255), data: new Uint8Array(1000) } });
    let floodRefused = 0;
    for (let i = 0; i < 200; i++) if (!session.send(block(1), 'flooder')) floodRefused++;
    expect(floodRefused).toBeGreaterThan(0);
    const sentDirectly = counters.framesSent - 1; // written before backpressure set in (the Hello aside)
    // The flooder's lane is full, yet the honest lane and the session's own frames still get in.
    expect(session.send(block(2), 'honest')).toBe(true);
    expect(session.send({ ping: { nonce: 7, sentAtMs: 1 } })).toBe(true);
    expect(counters.framesDropped).toBe(floodRefused);
    for (let i = 0; i < 5000 && session.pendingBytes > 0; i++) { peer.release(); await tick(); }
    const frames = new FrameDecoder().pushEnvelopes(Buffer.concat(peer.written));
    const honestAt = frames.findIndex((f) => f.broadcast?.messageId?.[0] === 2);
    const pingAt = frames.findIndex((f) => f.body === 'ping');
    const floodBefore = (at: number) => frames.slice(0, at).filter((f) => f.broadcast?.messageId?.[0] === 1).length;
    // Whatever the socket took before the queue formed, once queued each lane waited at most one flood frame.
    expect(floodBefore(honestAt)).toBeLessThanOrEqual(sentDirectly + 1);
    expect(floodBefore(pingAt)).toBeLessThanOrEqual(sentDirectly + 2);
  });

  it('sends pre-encoded bulk frames behind other frames, and says when each was written', async () => {
    const peer = new SlowPeer();
    const { session } = open(peer, 1024 * 1024);
    peer.push(encodeFrame({ hello }));
    await tick();
    const written: number[] = [];
    for (let i = 0; i < 4; i++) {
      const frame = encodeFrame({ blockData: { transferId: new Uint8Array(16), index: i + 1, data: new Uint8Array(32 * 1024) } });
      expect(session.sendBulkFrame(frame, () => written.push(i))).toBe(true);
    }
    expect(session.sendBulkFrame(new Uint8Array(3 * 1024 * 1024))).toBe(false);
    session.sendPing();
    for (let i = 0; i < 100 && (session.pendingBytes > 0 || written.length < 4); i++) { peer.release(); await tick(); }
    expect(written).toEqual([0, 1, 2, 3]);
    const types: string[] = [];
    const dec = new FrameDecoder({ maxFrameSize: 2 * 1024 * 1024 });
    for (const chunk of peer.written) for (const f of dec.push(chunk)) types.push(v1.Envelope.decode(f).body ?? '');
    expect(types).toEqual(['hello', 'blockData', 'ping', 'blockData', 'blockData', 'blockData']);
  });

  it('sends bulk frames only when no other frame waits, so a ping overtakes queued blocks', async () => {
    const peer = new SlowPeer();
    const { session } = open(peer, 1024 * 1024);
    peer.push(encodeFrame({ hello }));
    await tick();
    const block = { blockData: { transferId: new Uint8Array(16), index: 0, data: new Uint8Array(32 * 1024) } };
    for (let i = 0; i < 8; i++) expect(session.sendBulk(block)).toBe(true);
    session.sendPing();
    const types: string[] = [];
    for (let i = 0; i < 100 && session.pendingBytes > 0; i++) { peer.release(); await tick(); }
    const dec = new FrameDecoder({ maxFrameSize: 2 * 1024 * 1024 });
    for (const chunk of peer.written) for (const f of dec.push(chunk)) types.push(v1.Envelope.decode(f).body ?? '');
    // Hello, the one block already in the socket, then the ping ahead of the seven blocks still queued.
    expect(types).toEqual(['hello', 'blockData', 'ping', ...Array(7).fill('blockData')]);
  });

  it('skips an envelope of an unknown type and keeps the session', async () => {
    const peer = new SlowPeer();
    const { session, counters } = open(peer);
    peer.push(encodeFrame({ hello }));
    peer.push(Uint8Array.of(0));
    peer.push(encodeFrame({ ping: { nonce: 5, sentAtMs: 1 } }));
    await tick();
    expect(session.state).toBe('open');
    expect(counters.framesDropped).toBe(1);
    peer.release();
    await tick();
    const frames = new FrameDecoder().pushEnvelopes(Buffer.concat(peer.written));
    expect(frames.map((f) => f.body)).toEqual(['hello', 'pong']);
    expect(frames[1]!.pong!.nonce).toBe(5);
  });

  it('refuses anything but Hello first', async () => {
    const peer = new SlowPeer();
    const { session, events } = open(peer);
    peer.push(encodeFrame({ ping: { nonce: 1 } }));
    await tick();
    peer.release();
    await tick();
    expect(session.state === 'closing' || session.state === 'closed').toBe(true);
    const frames = new FrameDecoder().pushEnvelopes(Buffer.concat(peer.written));
    expect(frames.at(-1)!.goodbye!.reason).toBe(v1.GoodbyeReason.GOODBYE_REASON_PROTOCOL_ERROR);
    expect(events).not.toContain('open');
  });

  it('closes a connection that says no Hello within the handshake timeout of its clock, and not before', async () => {
    const clock = new VirtualClock(0);
    const peer = new SlowPeer();
    const { session, events } = open(peer, 64 * 1024, clock);
    clock.advance(4999);
    expect(session.state).toBe('handshaking');
    clock.advance(1);
    expect(session.state === 'closing' || session.state === 'closed').toBe(true);
    expect(session.closeReason).toContain('no hello in time');
    expect(events).not.toContain('open');
  });

  it('measures a round trip on its clock and rejects a ping left unanswered once its timeout passes', async () => {
    const clock = new VirtualClock(0);
    const peer = new SlowPeer();
    const { session } = open(peer, 64 * 1024, clock);
    peer.push(encodeFrame({ hello }));
    await tick();
    expect(session.openedAt).toBe(0);
    const answered = session.ping(1000);
    peer.release();
    await tick();
    const ping = new FrameDecoder().pushEnvelopes(Buffer.concat(peer.written)).find((f) => f.body === 'ping')!.ping!;
    clock.advance(12);
    peer.push(encodeFrame({ pong: { nonce: ping.nonce } }));
    await expect(answered).resolves.toBe(12);
    expect(session.rttMs).toBe(12);
    const unanswered = session.ping(1000);
    clock.advance(999);
    await tick();
    let settled = false;
    void unanswered.catch(() => undefined).finally(() => { settled = true; });
    await tick();
    expect(settled).toBe(false);
    clock.advance(1);
    await expect(unanswered).rejects.toBeInstanceOf(PingTimeoutError);
  });
});
