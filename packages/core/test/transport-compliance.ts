// One compliance suite for every Transport (as js-libp2p runs one for its interfaces): the socket transport and the
// in-memory network must behave alike for everything a node relies on.
import { expect, it } from 'vitest';
import { DialError, IdentityMismatchError } from '../src/errors.js';
import { generateIdentity, type NodeIdentity } from '../src/identity/node-identity.js';
import type { HostPort } from '../src/transport/host-port.js';
import type { DiscoveryChannelOptions, Transport, TransportConnection } from '../src/transport/types.js';
import { waitFor } from '../src/testing/harness.js';

/** What the suite needs to exercise one kind of transport. */
export interface TransportUnderTest {
  /** A transport for a node with this identity. */
  create(identity: NodeIdentity): Transport;
  /** Where to listen (port 0: any free port). */
  listenAddress: HostPort;
  /** An address nothing listens on. */
  deadAddress(): Promise<HostPort>;
  /** Options of discovery channels that can hear each other. */
  discovery(): DiscoveryChannelOptions;
}

/**
 * A connection as a session holds it: with an error listener, since a peer that resets (destroys its end) makes the
 * other end's stream emit ECONNRESET, which must end it, not crash the process.
 */
function held(conn: TransportConnection): TransportConnection {
  conn.stream.on('error', () => undefined);
  return conn;
}

/** Collects what a listener accepts. */
function acceptor(): { accepted: TransportConnection[]; onConnection: (c: TransportConnection) => void } {
  const accepted: TransportConnection[] = [];
  return { accepted, onConnection: (c) => accepted.push(held(c)) };
}

/** Reads from a stream until `n` bytes have arrived. */
async function readBytes(conn: TransportConnection, n: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let got = 0;
  // A connection with a reader of its own lends each chunk for the call only: keep a copy.
  const take = (c: Uint8Array): void => { chunks.push(Buffer.from(c)); got += c.length; };
  if (conn.readInto) conn.readInto(take);
  else conn.stream.on('data', take);
  await waitFor(() => got >= n, 10_000, `${n} bytes`);
  return Buffer.concat(chunks);
}

/** Registers the compliance tests for one transport; `setup` runs once per test. */
export function transportCompliance(setup: () => TransportUnderTest): void {
  const withPair = async (fn: (t: { a: Transport; b: Transport; ida: NodeIdentity; idb: NodeIdentity; under: TransportUnderTest }) => Promise<void>): Promise<void> => {
    const under = setup();
    const [ida, idb] = await Promise.all([generateIdentity(), generateIdentity()]);
    const a = under.create(ida);
    const b = under.create(idb);
    try {
      await fn({ a, b, ida, idb, under });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  };

  it('listens on a real port when asked for port 0', () => withPair(async ({ b, under }) => {
    const listener = await b.listen({ ...under.listenAddress, port: 0 }, () => undefined);
    expect(listener.address.port).toBeGreaterThan(0);
    await listener.close();
  }));

  it('carries bytes both ways in order, with directions and remote addresses', () => withPair(async ({ a, b, under }) => {
    const { accepted, onConnection } = acceptor();
    const listener = await b.listen(under.listenAddress, onConnection);
    const out = held(await a.dial(listener.address));
    expect(out.direction).toBe('outbound');
    expect(out.remote).toEqual(listener.address);
    await waitFor(() => accepted.length === 1, 10_000, 'the inbound connection');
    const inbound = accepted[0]!;
    expect(inbound.direction).toBe('inbound');
    expect(inbound.remote.port).toBeGreaterThan(0);
    const ping = Buffer.from(Array.from({ length: 100_000 }, (_, i) => i % 251));
    const received = readBytes(inbound, ping.length);
    out.stream.write(ping);
    expect((await received).equals(ping)).toBe(true);
    const back = readBytes(out, 5);
    inbound.stream.write('hello');
    expect((await back).toString()).toBe('hello');
    out.stream.destroy();
    inbound.stream.destroy();
    await listener.close();
  }));

  it('keeps what the acceptor writes at once, before the dialler starts reading', () => withPair(async ({ a, b, under }) => {
    // The acceptor speaks first (as a session's Hello does); the dialler attaches its reader only afterwards.
    const greeting = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 256));
    const written: Promise<void>[] = [];
    const listener = await b.listen(under.listenAddress, (c) => {
      held(c);
      written.push(new Promise((resolve) => c.stream.write(greeting, () => resolve())));
    });
    const out = held(await a.dial(listener.address));
    await waitFor(() => written.length === 1, 10_000, 'the inbound connection');
    await written[0];
    expect((await readBytes(out, greeting.length)).equals(greeting)).toBe(true);
    out.stream.destroy();
    await listener.close();
  }));

  it('proves each side\'s peer ID to the other', () => withPair(async ({ a, b, ida, idb, under }) => {
    expect(a.secure).toBe(true);
    const { accepted, onConnection } = acceptor();
    const listener = await b.listen(under.listenAddress, onConnection);
    const out = held(await a.dial(listener.address, { expectedPeerId: idb.peerId }));
    expect(out.authenticatedPeerId).toBe(idb.peerId);
    await waitFor(() => accepted.length === 1, 10_000, 'the inbound connection');
    expect(accepted[0]!.authenticatedPeerId).toBe(ida.peerId);
    out.stream.destroy();
    await listener.close();
  }));

  it('refuses a dial when the peer there does not hold the expected key', () => withPair(async ({ a, b, ida, under }) => {
    const listener = await b.listen(under.listenAddress, (c) => c.stream.destroy());
    await expect(a.dial(listener.address, { expectedPeerId: ida.peerId, timeoutMs: 5000 })).rejects.toBeInstanceOf(IdentityMismatchError);
    await listener.close();
  }));

  it('fails a dial to an address nobody listens on with DialError', () => withPair(async ({ a, under }) => {
    await expect(a.dial(await under.deadAddress(), { timeoutMs: 5000 })).rejects.toBeInstanceOf(DialError);
  }));

  it('stops accepting once its listener is closed', () => withPair(async ({ a, b, under }) => {
    const { accepted, onConnection } = acceptor();
    const listener = await b.listen(under.listenAddress, onConnection);
    await listener.close();
    await expect(a.dial(listener.address, { timeoutMs: 5000 })).rejects.toBeInstanceOf(DialError);
    expect(accepted).toEqual([]);
  }));

  it('ends the other side\'s stream when one side destroys its own', () => withPair(async ({ a, b, under }) => {
    const { accepted, onConnection } = acceptor();
    const listener = await b.listen(under.listenAddress, onConnection);
    const out = held(await a.dial(listener.address));
    await waitFor(() => accepted.length === 1, 10_000, 'the inbound connection');
    // 'close' comes with or without an ECONNRESET before it (events.once would reject on the error).
    const closed = new Promise<void>((resolve) => accepted[0]!.stream.once('close', () => resolve()));
    out.stream.destroy();
    await closed;
    await listener.close();
  }));

  it('closes the other side, while it reads, when one side ends its stream, in either direction', () => withPair(async ({ a, b, under }) => {
    const { accepted, onConnection } = acceptor();
    const listener = await b.listen(under.listenAddress, onConnection);
    for (const closer of ['dialler', 'acceptor'] as const) {
      const out = held(await a.dial(listener.address));
      await waitFor(() => accepted.length === 1, 10_000, 'the inbound connection');
      const inbound = accepted.pop()!;
      const [ender, other] = closer === 'dialler' ? [out, inbound] : [inbound, out];
      const got = readBytes(other, 3);
      ender.stream.write('bye');
      expect((await got).toString()).toBe('bye');
      // A session takes either as the end of the connection.
      const closed = new Promise<void>((resolve) => { other.stream.once('end', resolve); other.stream.once('close', resolve); });
      ender.stream.end();
      await closed;
      out.stream.destroy();
      inbound.stream.destroy();
    }
    await listener.close();
  }));

  it('carries a discovery announcement to another channel on the port, and a reply back to its sender', () => withPair(async ({ a, b, under }) => {
    const options = under.discovery();
    const heardByB: { bytes: Uint8Array; from: HostPort }[] = [];
    const heardByA: Uint8Array[] = [];
    const chA = await a.openDiscovery(options, (bytes) => heardByA.push(bytes));
    const chB = await b.openDiscovery(options, (bytes, from) => heardByB.push({ bytes, from }));
    try {
      chA.announce(Buffer.from('announce'));
      await waitFor(() => heardByB.some((d) => Buffer.from(d.bytes).toString() === 'announce'), 10_000, 'the announcement');
      const from = heardByB.find((d) => Buffer.from(d.bytes).toString() === 'announce')!.from;
      chB.reply(Buffer.from('reply'), from);
      await waitFor(() => heardByA.some((d) => Buffer.from(d).toString() === 'reply'), 10_000, 'the reply');
    } finally {
      await Promise.all([chA.close(), chB.close()]);
    }
  }));
}
