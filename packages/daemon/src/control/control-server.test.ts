import { mkdtemp, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { control, FrameDecoder, frameBytes, type NodeEvents, type P2PNode, type p2p } from '@p2p/core';
import { openInbox, type Inbox } from '../inbox/index.js';
import { createControlServer, type ControlServer } from './control-server.js';

// A node that answers from fixed tables: the control server's logic is what is under test here.
function fakeNode(): P2PNode {
  const peers = [{ peerId: 'bbbb', name: 'bob', address: { host: '127.0.0.1', port: 2 }, state: 'connected' as const, rttMs: 1.5, role: 'peer' as const, load: 1 }];
  return {
    peerId: 'aaaa', name: 'alice', role: 'peer',
    start: async () => {}, stop: async () => {},
    listenAddress: () => ({ host: '127.0.0.1', port: 1 }),
    peers: () => peers.slice(),
    resolve: (x) => (x === 'bob' || x === 'bbbb' ? 'bbbb' : undefined),
    send: async () => ({ status: 'delivered', peerId: 'bbbb', elapsedMs: 2 }),
    broadcast: () => ({ messageId: 'ff', sentTo: 1 }),
    ping: async () => 1.25,
    stats: () => ({ connections: 1, bytesSent: 0, bytesReceived: 0, framesSent: 0, framesReceived: 0, framesDropped: 0, broadcastsDelivered: 0, broadcastDuplicates: 0, directDelivered: 0, peersDeclaredDead: 0, rttMs: {} }),
    on: <E extends keyof NodeEvents>(_e: E, _l: (a: NodeEvents[E]) => void) => () => {},
  };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

class TestClient {
  readonly responses: p2p.control.v1.Response[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder();
  constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => this.responses.push(...this.decoder.push(chunk).map((f) => control.Response.decode(f))));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => {});
  }
  static async open(path: string): Promise<TestClient> {
    const socket = connect(path);
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new TestClient(socket);
  }
  request(body: p2p.control.v1.Request.$Properties): void {
    this.socket.write(frameBytes(control.Request.encode(body).finish()));
  }
  async waitFor(pred: (r: p2p.control.v1.Response[]) => boolean): Promise<p2p.control.v1.Response[]> {
    const deadline = Date.now() + 10_000;
    while (!pred(this.responses)) {
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.responses)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.responses;
  }
}

let server: ControlServer | undefined;
let inbox: Inbox | undefined;
afterEach(async () => {
  await server?.close();
  await inbox?.close();
});

async function setup(options: { maxClients?: number } = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pd-control-'));
  inbox = await openInbox({ path: join(dir, 'inbox.jsonl') });
  const socketPath = join(dir, 'p2pd.sock');
  server = createControlServer({ socketPath, node: fakeNode(), inbox, logger: silent, maxFrameSize: 1024, ...options });
  await server.listen();
  return socketPath;
}

describe('control server', () => {
  it('answers status, peers, send, broadcast and ping over a 0600 socket', async () => {
    const path = await setup();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const c = await TestClient.open(path);
    c.request({ id: 1, status: {} });
    c.request({ id: 2, peers: {} });
    c.request({ id: 3, send: { to: 'bob', text: 'hi' } });
    c.request({ id: 4, broadcast: { text: 'all' } });
    c.request({ id: 5, ping: { to: 'bob' } });
    const rs = await c.waitFor((r) => r.length === 5);
    const byId = new Map(rs.map((r) => [r.id, r]));
    expect(byId.get(1)!.status).toMatchObject({ peerId: 'aaaa', name: 'alice', listen: '127.0.0.1:1', protocol: 1, peers: 1 });
    expect(byId.get(2)!.peers!.peers![0]).toMatchObject({ name: 'bob', state: 'connected', rttMs: 1.5, address: '127.0.0.1:2' });
    expect(byId.get(3)!.send).toMatchObject({ delivered: true, status: 'delivered', peerId: 'bbbb' });
    expect(byId.get(4)!.broadcast).toMatchObject({ messageId: 'ff', sentTo: 1 });
    expect(byId.get(5)!.ping).toMatchObject({ peerId: 'bbbb', rttMs: 1.25 });
  });

  it('turns bad requests into ControlErrors and keeps serving', async () => {
    const path = await setup();
    const c = await TestClient.open(path);
    c.request({ id: 1, send: { to: 'nobody', text: 'hi' } });
    c.request({ id: 2, send: { to: 'bob', text: '' } });
    c.request({ id: 3 });
    c.socket.write(frameBytes(Uint8Array.of(0xff, 0xff, 0xff)));
    const rs = await c.waitFor((r) => r.length === 4);
    expect(rs.find((r) => r.id === 1)!.error!.code).toBe('PEER_NOT_FOUND');
    expect(rs.find((r) => r.id === 2)!.error!.code).toBe('BAD_REQUEST');
    expect(rs.find((r) => r.id === 3)!.error!.code).toBe('BAD_REQUEST');
    expect(rs.find((r) => r.id === 0)!.error!.code).toBe('BAD_REQUEST');
    c.request({ id: 9, status: {} });
    await c.waitFor((r) => r.some((x) => x.id === 9 && x.status));
  });

  it('hangs up on an oversized frame but not on other clients', async () => {
    const path = await setup();
    const bad = await TestClient.open(path);
    const good = await TestClient.open(path);
    bad.socket.write(Uint8Array.of(0xff, 0xff, 0x03));
    await bad.waitFor((r) => r.some((x) => x.error?.code === 'BAD_REQUEST'));
    const deadline = Date.now() + 5000;
    while (!bad.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(bad.closed).toBe(true);
    good.request({ id: 1, status: {} });
    await good.waitFor((r) => r.some((x) => x.status));
  });

  it('refuses clients beyond the limit with BUSY', async () => {
    const path = await setup({ maxClients: 1 });
    const first = await TestClient.open(path);
    const second = await TestClient.open(path);
    await second.waitFor((r) => r.some((x) => x.error?.code === 'BUSY'));
    first.request({ id: 1, status: {} });
    await first.waitFor((r) => r.some((x) => x.status));
  });

  it('lists the inbox and follows new entries', async () => {
    const path = await setup();
    inbox!.append({ id: 'm1', from: 'bob', fromPeerId: 'bbbb', to: 'alice', kind: 'direct', text: 'one', receivedAt: new Date().toISOString() });
    await inbox!.flush();
    const c = await TestClient.open(path);
    c.request({ id: 7, inbox: { follow: true } });
    await c.waitFor((r) => r.some((x) => x.inboxEnd));
    expect(c.responses[0]!.inboxEntry!.text).toBe('one');
    expect(c.responses[1]!.inboxEnd!.count).toBe(1);
    inbox!.append({ id: 'm2', from: 'bob', fromPeerId: 'bbbb', to: '*', kind: 'broadcast', text: 'two', receivedAt: new Date().toISOString() });
    await c.waitFor((r) => r.length === 3);
    expect(c.responses[2]).toMatchObject({ id: 7, inboxEntry: { text: 'two', kind: 'broadcast' } });
  });

  it('refuses to start beside a live daemon', async () => {
    const path = await setup();
    const second = createControlServer({ socketPath: path, node: fakeNode(), inbox: inbox!, logger: silent });
    await expect(second.listen()).rejects.toThrow(/already running/);
  });
});
