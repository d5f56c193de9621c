// Clique servers on real nodes (TLS sessions on loopback) and clients on their own TLS sessions, in one process.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { v1 } from '../src/codec/wire.js';
import {
  createCliqueClient, startCliqueServer, type CliqueLimits, type CliqueLine, type CliqueServer,
} from '../src/clique/index.js';
import { generateIdentity, loadOrCreateIdentity } from '../src/identity/node-identity.js';
import { silentLogger } from '../src/util/logger.js';
import { encodeBurstBody } from '../src/clique/burst-body.js';
import { cliqueTeardown } from './clique-fixture.js';
import { addressOf, Harness, waitFor, type TestNode } from './helpers.js';
import { rawClient } from './raw-client.js';

let h: Harness;
const { servers, clients } = cliqueTeardown(() => h);

async function server(join: TestNode[] = [], limits?: Partial<CliqueLimits>): Promise<{ node: TestNode; clique: CliqueServer }> {
  const dataDir = await h.dir();
  const node = await h.node({ dataDir, role: 'server', name: `srv${h.nodes.length}` });
  const clique = await startCliqueServer({
    node, identity: await loadOrCreateIdentity(dataDir), clientListen: { host: '127.0.0.1', port: 0 },
    join: join.map(addressOf), logger: silentLogger, limits,
  });
  servers.push(clique);
  return { node, clique };
}

async function client(name: string | undefined, ...at: CliqueServer[]) {
  const c = createCliqueClient({ servers: at.map((s) => s.clientAddress), name, identity: await generateIdentity(), timeoutMs: 3000 });
  clients.push(c);
  const lines: CliqueLine[] = [];
  c.on('line', (l) => lines.push(l));
  await c.connect();
  return { c, lines };
}

/** Two servers in a clique, alice on the first and bob on the second, each name known on both. */
async function aliceAndBob() {
  h = new Harness();
  const a = await server();
  const b = await server([a.node]);
  await waitFor(() => a.clique.members().length === 1 && b.clique.members().length === 1, 10_000, 'clique of two');
  const alice = await client('alice', a.clique);
  const bob = await client('bob', b.clique);
  await waitFor(() => a.clique.online().length === 2 && b.clique.online().length === 2, 5000, 'names everywhere');
  return { a, b, alice, bob };
}

describe('clique over real sessions', () => {
  it('two servers form a clique; signed lines cross it; names are unique across it', async () => {
    const { a, b, alice, bob } = await aliceAndBob();

    expect(await alice.c.send('BOB', 'hi bob')).toEqual({ status: 'delivered', delivered: 1 });
    expect(await bob.c.send('*', 'hi all')).toMatchObject({ status: 'delivered', delivered: 1 });
    expect(await bob.c.send('nobody', 'hm')).toMatchObject({ status: 'no-such-client' });
    await waitFor(() => bob.lines.length === 1 && alice.lines.length === 1, 5000, 'lines');
    expect(bob.lines[0]).toMatchObject({ from: 'alice', to: 'BOB', text: 'hi bob' });
    expect(alice.lines[0]).toMatchObject({ from: 'bob', to: '*', text: 'hi all' });

    await expect(client('Alice', b.clique)).rejects.toMatchObject({ code: 'ERR_CLIQUE_NAME_TAKEN', reason: 'taken' });
    // A look-alike (Cyrillic а) is refused as taken, and the error names the name it looks like.
    await expect(client('\u0430lice', b.clique)).rejects.toMatchObject({ reason: 'taken', message: expect.stringContaining("looks like 'alice'") });
    const watcher = await client(undefined, b.clique);
    expect((await watcher.c.who()).map((e) => `${e.name}@${e.serverName}`).sort()).toEqual(['alice@srv0', 'bob@srv1']);
  });

  it('cuts off a client flooding who-is-online and name claims, not only lines, and keeps serving the others', async () => {
    h = new Harness();
    const a = await server();
    const alice = await client('alice', a.clique);
    // 150 clients named in the clique: each who-is-online answer costs the server a list of all of them.
    const named = await Promise.all(Array.from({ length: 150 }, async (_, i) => createCliqueClient({
      servers: [a.clique.clientAddress], name: `n${i}`, identity: await generateIdentity(), timeoutMs: 10_000,
    })));
    clients.push(...named);
    await Promise.all(named.map((c) => c.connect()));
    await waitFor(() => a.clique.online().length === 151, 20_000, 'everyone named');
    for (const request of [{ whoIsOnline: {} }, { clientRegister: { name: '' } }]) {
      const id = await generateIdentity();
      const raw = await rawClient(a.clique.clientAddress, id);
      raw.send({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'raw', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } });
      await waitFor(() => raw.frames.some((f) => f.hello), 5000, 'the server\'s hello');
      // Bounded: 5,000 requests in one go, far past the burst any honest client needs.
      for (let i = 0; i < 5000 && !raw.isClosed(); i++) raw.send({ clique: request });
      try {
        await waitFor(() => raw.isClosed(), 20_000, `the ${Object.keys(request)[0]} flooder cut off`);
      } finally {
        raw.socket.destroy();
      }
      expect(raw.frames.some((f) => f.goodbye?.detail?.includes('flooding'))).toBe(true);
    }
    expect(await alice.c.send('n7', 'still here')).toEqual({ status: 'delivered', delivered: 1 });
    expect((await alice.c.who()).length).toBe(151);
  }, 60_000);

  it('a flooder coming back under fresh keys is shut out by address after three cut-offs; others are not', async () => {
    h = new Harness();
    const a = await server([], { linesPerSecond: 5, lineBurst: 10 });
    const alice = await client('alice', a.clique);
    const hello = (id: Awaited<ReturnType<typeof generateIdentity>>) =>
      ({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'raw', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } });
    for (let round = 0; round < 3; round++) {
      const id = await generateIdentity();
      const raw = await rawClient(a.clique.clientAddress, id, '127.0.0.1');
      raw.send(hello(id));
      await waitFor(() => raw.frames.some((f) => f.hello), 5000, 'the server\'s hello');
      for (let i = 0; i < 50 && !raw.isClosed(); i++) raw.send({ clique: { whoIsOnline: {} } });
      await raw.closed;
      expect(raw.frames.some((f) => f.goodbye?.detail?.includes('flooding'))).toBe(true);
    }
    // A fourth fresh key from that address: closed before any session (no Hello).
    const id = await generateIdentity();
    const shut = await rawClient(a.clique.clientAddress, id, '127.0.0.1').catch(() => undefined);
    if (shut) { await shut.closed; expect(shut.frames.some((f) => f.hello)).toBe(false); }
    // Another address attaches as usual, and a client attached before keeps its session.
    const other = await generateIdentity();
    const elsewhere = await rawClient(a.clique.clientAddress, other, '127.0.0.2');
    elsewhere.send(hello(other));
    elsewhere.send({ clique: { clientRegister: { name: 'bob' } } });
    await waitFor(() => elsewhere.frames.some((f) => f.clique?.clientRegistered), 5000, 'bob registered from another address');
    expect(await alice.c.send('bob', 'still here')).toEqual({ status: 'delivered', delivered: 1 });
    elsewhere.socket.destroy();
  }, 30_000);

  it('a roster in parts and who-is-online in pages cross real sessions; who stops at its cap', async () => {
    h = new Harness();
    // A page budget of 600 bytes: about five names a page, so 24 names take several pages and roster parts.
    const limits = { pageBytes: 600 };
    const a = await server([], limits);
    const names = Array.from({ length: 24 }, (_, i) => `name-${String(i).padStart(2, '0')}`);
    await Promise.all(names.map((n) => client(n, a.clique)));
    // b joins after: a's roster reaches it in parts.
    const b = await server([a.node], limits);
    await waitFor(() => b.clique.online().length === 24, 10_000, 'a\'s roster at b');
    const watcher = await client(undefined, b.clique);
    expect((await watcher.c.who()).map((e) => e.name).sort()).toEqual(names);
    await expect(watcher.c.who({ maxNames: 10 })).rejects.toMatchObject({ code: 'ERR_CLIQUE_WHO_TOO_LARGE', total: 24 });
    expect((await watcher.c.who()).length).toBe(24);
  }, 30_000);

  it('lines written in one turn travel as one signed burst per recipient, paced to the server\'s budget; a line too long is refused alone; a bad signature cuts its sender off', async () => {
    const { a, b, alice, bob } = await aliceAndBob();
    // 180 lines written in one turn (within the default burst of 200 lines), with a line over the server's
    // 4096-byte limit among them and one over the 1 KiB past which a line leaves alone, so the long lines go apart.
    const texts = Array.from({ length: 180 }, (_, i) => (i === 100 ? 'x'.repeat(5000) : i === 150 ? 'y'.repeat(2000) : `line ${i}`));
    const results = await Promise.all(texts.map((t) => alice.c.send('bob', t)));
    expect(results.filter((r) => r.status !== 'delivered')).toEqual([{ status: 'refused', delivered: 0 }]);
    expect(results[100]!.status).toBe('refused');
    await waitFor(() => bob.lines.length === 179, 5000, 'every other line');
    expect(bob.lines.map((l) => l.text).sort()).toEqual(texts.filter((_, i) => i !== 100).sort());
    // In order within each burst (the long line left apart, so it may come first).
    expect(bob.lines.map((l) => l.text).filter((t) => t.startsWith('line'))).toEqual(texts.filter((t) => t.startsWith('line')));
    expect(new Set(bob.lines.map((l) => l.authorId)).size).toBe(1);

    // A paste beyond the server's budget (default 50 lines/s, at most 200 at once, said at registration) is paced by
    // the client: every line arrives, in order, and nobody is cut off for flooding.
    bob.lines.length = 0;
    let dropped = 0;
    alice.c.on('disconnected', () => dropped++);
    const paste = Array.from({ length: 300 }, (_, i) => `paste ${i}`);
    const pasted = await Promise.all(paste.map((t) => alice.c.send('bob', t, { timeoutMs: 20_000 })));
    expect(pasted.every((r) => r.status === 'delivered')).toBe(true);
    await waitFor(() => bob.lines.length === 300, 5000, 'the whole paste');
    expect(bob.lines.map((l) => l.text)).toEqual(paste);
    expect(dropped).toBe(0);

    // A client on its own TLS session whose first burst's signature does not verify: checked before it goes anywhere
    // (a first line always is), refused, and its sender cut off at once.
    const id = await generateIdentity();
    const raw = await rawClient(a.clique.clientAddress, id);
    raw.send({ hello: { protocolVersion: 1, peerId: id.peerIdBytes, name: 'raw', listenPort: 0, role: v1.Role.ROLE_PEER, instanceId: randomBytes(16) } });
    await waitFor(() => raw.frames.some((f) => f.hello), 5000, 'the server\'s hello');
    raw.send({ clique: { clientRegister: { name: 'mallory' } } });
    await waitFor(() => raw.frames.some((f) => f.clique?.clientRegistered), 5000, 'mallory registered');
    raw.send({ clique: { lines: {
      batchId: randomBytes(16), from: 'mallory', to: 'bob', body: encodeBurstBody([{ text: 'forged', sentAtMs: Date.now() }]),
      authorId: id.peerIdBytes, authorKey: randomBytes(91), signature: randomBytes(64),
    } } });
    try {
      await waitFor(() => raw.isClosed(), 10_000, 'mallory cut off');
    } finally {
      raw.socket.destroy();
    }
    expect(raw.frames.some((f) => f.goodbye?.detail?.includes('bad signature'))).toBe(true);
    await waitFor(() => !b.clique.online().some((e) => e.name === 'mallory'), 5000, 'mallory\'s name freed everywhere');
    expect(bob.lines.map((l) => l.text)).not.toContain('forged');
    expect(await alice.c.send('bob', 'still here')).toEqual({ status: 'delivered', delivered: 1 });
  }, 30_000);

  it('two servers that held one name apart settle it when they meet: the older claim wins, the loser\'s client is told', async () => {
    h = new Harness();
    const a = await server();
    const b = await server();
    const eve = await client('eve', a.clique);
    await new Promise((r) => setTimeout(r, 5)); // a later claim on the clock
    const other = await client('Eve', b.clique);
    const refused: Error[] = [];
    other.c.on('refused', (err) => refused.push(err));
    await b.node.connect(addressOf(a.node));
    await waitFor(() => refused.length === 1, 15_000, 'the loser told');
    expect(refused[0]).toMatchObject({ code: 'ERR_CLIQUE_NAME_TAKEN', reason: 'lost' });
    await waitFor(() => [a, b].every((s) => s.clique.online().length === 1 && s.clique.online()[0]!.serverId === a.node.peerId), 10_000, 'one holder everywhere');
    await expect(other.c.send('eve', 'hi')).rejects.toMatchObject({ code: 'ERR_CLIQUE_NOT_REGISTERED' });
    expect((await eve.c.who()).map((e) => e.name)).toEqual(['eve']);
  }, 30_000);
});
