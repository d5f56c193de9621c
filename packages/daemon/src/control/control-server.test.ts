import { mkdtemp, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectControl, controlCodecs, createFrameDecoder, decodeResponse, encodeRequestFrame, fetchPeerTable, MAX_RESPONSE_FRAME, PAGE_BYTES,
  type ControlResponse, type RequestBody,
} from '@p2p/control';
import { PeerNotFoundError, type NodeEvents, type PeerSnapshot } from '@p2p/core';
import { openInbox, type Inbox } from '../inbox/index.js';
import { createControlServer, type ControlServer, type ControlServerOptions } from './control-server.js';
import type { DaemonNode } from './handler-types.js';

const bob: PeerSnapshot = { peerId: 'bbbb', name: 'bob', address: { host: '127.0.0.1', port: 2 }, state: 'connected', rttMs: 1.5, role: 'peer', load: 1 };

// A node that answers from fixed tables and records what it was asked: the control server is under test here.
function fakeNode(peers: PeerSnapshot[] = [bob]) {
  const asked: { send: string[]; ping: string[] } = { send: [], ping: [] };
  const node = {
    peerId: 'aaaa', name: 'alice', role: 'peer',
    start: async () => {}, stop: async () => {},
    listenAddress: () => ({ host: '127.0.0.1', port: 1 }),
    peers: () => peers.slice(),
    resolve: (x: string) => (x === 'bob' || x === 'bbbb' ? 'bbbb' : undefined),
    send: async (to: string) => {
      asked.send.push(to);
      return { status: 'delivered', peerId: to, elapsedMs: 2 };
    },
    broadcast: () => ({ messageId: 'ff', sentTo: 1 }),
    ping: async (to: string) => {
      asked.ping.push(to);
      return 1.25;
    },
    connect: async () => 'bbbb',
    stats: () => ({ connections: 1, bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0, broadcastsDelivered: 0, broadcastDuplicates: 0, directDelivered: 0, peersDeclaredDead: 0, rttMs: {} }),
    on: <E extends keyof NodeEvents>(_e: E, _l: (a: NodeEvents[E]) => void) => () => {},
  } as unknown as DaemonNode;
  return { node, asked };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

class TestClient {
  readonly responses: ControlResponse[] = [];
  readonly frameSizes: number[] = [];
  closed = false;
  private readonly decoder = createFrameDecoder(MAX_RESPONSE_FRAME);
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      for (const frame of this.decoder.push(chunk)) {
        this.frameSizes.push(frame.length);
        this.responses.push(decodeResponse(frame));
      }
    });
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  static async open(path: string): Promise<TestClient> {
    const socket = connect(path);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new TestClient(socket);
  }
  request(id: number, body: RequestBody): void {
    this.socket.write(encodeRequestFrame({ id, ...body }));
  }
  async waitFor(pred: (r: ControlResponse[]) => boolean): Promise<ControlResponse[]> {
    await until(() => pred(this.responses), () => JSON.stringify(this.responses));
    return this.responses;
  }
}

async function until(check: () => boolean, what: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let server: ControlServer | undefined;
let inbox: Inbox | undefined;
afterEach(async () => {
  await server?.close();
  await inbox?.close();
});

async function setup(options: Partial<ControlServerOptions> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pd-control-'));
  inbox = await openInbox({ path: join(dir, 'inbox.jsonl') });
  const socketPath = join(dir, 'run', 'p2pd.sock');
  server = createControlServer({
    socketPath, node: fakeNode().node, inbox, logger: silent, maxFrameSize: 1024, defaultTimeoutMs: 5000, version: '9.9.9',
    now: () => performance.now(), startedAt: performance.now() - 5000, ...options,
  });
  await server.listen();
  return socketPath;
}

describe('control server', () => {
  it('answers status, peers, send, broadcast, ping and connect over a 0600 socket in a 0700 directory', async () => {
    const path = await setup();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o700);
    const c = await TestClient.open(path);
    c.request(1, { status: {} });
    c.request(2, { peers: {} });
    c.request(3, { send: { to: 'bob', text: 'hi' } });
    c.request(4, { broadcast: { text: 'all' } });
    c.request(5, { ping: { to: 'bob' } });
    c.request(6, { connect: { address: '127.0.0.1:2' } });
    const rs = await c.waitFor((r) => r.length === 6);
    const byId = new Map(rs.map((r) => [r.id, r]));
    expect(byId.get(1)!.status).toMatchObject({ peerId: 'aaaa', name: 'alice', listen: '127.0.0.1:1', protocol: 1, peers: 1, version: '9.9.9' });
    expect(byId.get(1)!.status!.uptimeSeconds).toBeGreaterThanOrEqual(5);
    expect(byId.get(2)!.peers!.peers![0]).toMatchObject({ name: 'bob', state: 'connected', rttMs: 1.5, address: '127.0.0.1:2' });
    expect(byId.get(2)!.peers).toMatchObject({ more: false, total: 1 });
    expect(byId.get(3)!.send).toMatchObject({ delivered: true, status: 'delivered', peerId: 'bbbb' });
    expect(byId.get(4)!.broadcast).toMatchObject({ messageId: 'ff', sentTo: 1 });
    expect(byId.get(5)!.ping).toMatchObject({ peerId: 'bbbb', rttMs: 1.25 });
    expect(byId.get(6)!.connect).toMatchObject({ peerId: 'bbbb', name: 'bob' });
  });

  it('sends and pings exactly the peer it resolved', async () => {
    const { node, asked } = fakeNode();
    const path = await setup({ node });
    const client = await connectControl(path);
    await client.call({ send: { to: 'bob', text: 'hi' } });
    await client.call({ ping: { to: 'bob' } });
    client.close();
    expect(asked).toEqual({ send: ['bbbb'], ping: ['bbbb'] });
  });

  it('turns bad requests into typed errors with the code twice (string and enum) and keeps serving', async () => {
    const path = await setup();
    const c = await TestClient.open(path);
    c.request(1, { send: { to: 'nobody', text: 'hi' } });
    c.request(2, { send: { to: 'bob', text: '' } });
    c.request(3, {});
    c.socket.write(Buffer.from([0x03, 0xff, 0xff, 0xff]));
    await c.waitFor((r) => r.length >= 4);
    expect(c.responses.find((r) => r.id === 0)!.error).toMatchObject({ code: 'BAD_REQUEST' });
    const E = controlCodecs.ErrorCode;
    expect(c.responses.find((r) => r.id === 1)!.error).toMatchObject({ code: 'PEER_NOT_FOUND', codeEnum: E.ERROR_CODE_PEER_NOT_FOUND });
    expect(c.responses.find((r) => r.id === 2)!.error).toMatchObject({ code: 'BAD_REQUEST', codeEnum: E.ERROR_CODE_BAD_REQUEST });
    expect(c.responses.find((r) => r.id === 3)!.error).toMatchObject({ code: 'BAD_REQUEST' });
    const other = await connectControl(path);
    await expect(other.call({ send: { to: 'nobody', text: 'hi' } })).rejects.toBeInstanceOf(PeerNotFoundError);
    // Over this server's 1 KiB frame limit: refused, and the connection is cut.
    await expect(other.call({ broadcast: { text: 'x'.repeat(66_000) } })).rejects.toMatchObject({ code: 'ERR_BAD_CONTROL_REQUEST' });
    c.request(9, { status: {} });
    await c.waitFor((r) => r.some((x) => x.id === 9 && x.status));
    other.close();
  });

  it('refuses a chat line over 64 KiB with TOO_LARGE', async () => {
    const path = await setup({ maxFrameSize: 256 * 1024 });
    const client = await connectControl(path);
    await expect(client.call({ broadcast: { text: 'é'.repeat(40_000) } })).rejects.toMatchObject({ code: 'ERR_MESSAGE_TOO_LARGE', message: expect.stringMatching(/refused: too large/) });
    expect((await client.call({ broadcast: { text: 'x'.repeat(65_536) } })).broadcast).toBeTruthy();
    client.close();
  });

  it('hangs up on an oversized frame but not on other clients', async () => {
    const path = await setup();
    const bad = await TestClient.open(path);
    const good = await TestClient.open(path);
    bad.socket.write(Uint8Array.of(0xff, 0xff, 0x03));
    await bad.waitFor((r) => r.some((x) => x.error?.code === 'BAD_REQUEST'));
    await until(() => bad.closed);
    good.request(1, { status: {} });
    await good.waitFor((r) => r.some((x) => x.status));
  });

  it('streams a table of 10,000 peers in pages, every frame far below the limit', async () => {
    const peers = Array.from({ length: 10_000 }, (_, i): PeerSnapshot => ({
      peerId: `p${String(i).padStart(51, '0')}`, name: `peer-${i}`, address: { host: '127.0.0.1', port: 10_000 + (i % 50_000) }, state: i % 3 ? 'known' : 'connected', role: 'peer', load: 0,
    }));
    const path = await setup({ node: fakeNode(peers).node });
    const raw = await TestClient.open(path);
    raw.request(1, { peers: {} });
    await raw.waitFor((r) => r.some((x) => x.peers && !x.peers.more));
    expect(raw.responses.length).toBeGreaterThan(10);
    expect(Math.max(...raw.frameSizes)).toBeLessThanOrEqual(PAGE_BYTES + 1024);
    const client = await connectControl(path);
    const rows = await fetchPeerTable(client);
    client.close();
    expect(rows).toHaveLength(10_000);
    expect(new Set(rows.map((r) => r.peerId)).size).toBe(10_000);
    expect(rows[0]!.state).toBe('connected');
  });

  it('gives the slot of the longest-idle client to a new one, and refuses only when every client has a call open', async () => {
    const path = await setup({ maxClients: 2 });
    const oldest = await TestClient.open(path);
    const second = await TestClient.open(path);
    const third = await TestClient.open(path);
    await until(() => oldest.closed);
    expect(oldest.responses[0]!.error).toMatchObject({ code: 'IDLE' });
    third.request(1, { status: {} });
    await third.waitFor((r) => r.some((x) => x.status));
    // Two followers hold calls open: neither is idle, so a newcomer is refused rather than one of them cut off.
    second.request(1, { inbox: { follow: true } });
    third.request(2, { inbox: { follow: true } });
    await second.waitFor((r) => r.some((x) => x.inboxEnd));
    await third.waitFor((r) => r.some((x) => x.inboxEnd));
    const fourth = await TestClient.open(path);
    await fourth.waitFor((r) => r.some((x) => x.error?.code === 'BUSY'));
    expect(second.closed || third.closed).toBe(false);
  });

  it('tells a burst of evictions in one log line, with their count', async () => {
    const lines: { obj: unknown; msg?: string }[] = [];
    const record = (obj: unknown, msg?: string) => { lines.push({ obj, msg }); };
    const path = await setup({ maxClients: 1, logger: { ...silent, info: record } });
    const clients: TestClient[] = [];
    for (let i = 0; i < 20; i++) clients.push(await TestClient.open(path));
    await until(() => clients.slice(0, -1).every((c) => c.closed));
    const told = lines.filter((l) => l.msg?.includes('longest-idle'));
    expect(told).toHaveLength(1);
    expect(told[0]!.obj).toMatchObject({ evictions: 1 });
  });

  it('disconnects a client idle for longer than the idle timeout', async () => {
    const path = await setup({ idleTimeoutMs: 200 });
    const idle = await TestClient.open(path);
    idle.request(1, { status: {} });
    await idle.waitFor((r) => r.some((x) => x.status));
    await until(() => idle.closed);
    expect(idle.responses.at(-1)!.error).toMatchObject({ code: 'IDLE' });
    expect(server!.clientCount()).toBe(0);
  });

  it('lists the inbox and follows new entries', async () => {
    const path = await setup();
    inbox!.append({ id: 'm1', from: 'bob', fromPeerId: 'bbbb', to: 'alice', kind: 'direct', text: 'one', receivedAt: new Date().toISOString() });
    await inbox!.flush();
    const c = await TestClient.open(path);
    c.request(7, { inbox: { follow: true } });
    await c.waitFor((r) => r.some((x) => x.inboxEnd));
    expect(c.responses[0]!.inboxEntry!.text).toBe('one');
    expect(c.responses[1]!.inboxEnd!.count).toBe(1);
    inbox!.append({ id: 'm2', from: 'bob', fromPeerId: 'bbbb', to: '*', kind: 'broadcast', text: 'two', receivedAt: new Date().toISOString() });
    await c.waitFor((r) => r.length === 3);
    expect(c.responses[2]).toMatchObject({ id: 7, inboxEntry: { text: 'two', kind: 'broadcast' } });
  });

  it('refuses to start beside a live daemon', async () => {
    const path = await setup();
    const second = createControlServer({
      socketPath: path, node: fakeNode().node, inbox: inbox!, logger: silent, defaultTimeoutMs: 1, version: '0', now: () => 0, startedAt: 0,
    });
    await expect(second.listen()).rejects.toThrow(/already running/);
  });

  it('answers NOT_STARTED while the node is not there yet, then serves once it is', async () => {
    const path = await setup({ node: undefined as unknown as DaemonNode });
    const client = await connectControl(path);
    await expect(client.call({ status: {} })).rejects.toMatchObject({ code: 'ERR_NODE_NOT_STARTED' });
    server!.update({ node: fakeNode().node });
    expect((await client.call({ status: {} })).status!.name).toBe('alice');
    client.close();
  });

  it('makes a group socket (0660) when asked', async () => {
    const path = await setup({ socketMode: 0o660 });
    expect((await stat(path)).mode & 0o777).toBe(0o660);
    expect((await stat(join(path, '..'))).mode & 0o777).toBe(0o750);
  });
});
