// The server clique with real p2pd processes on loopback: servers keep a full mesh, clients attach by name (in this
// process, over TLS, with the core client), a line reaches a name wherever it is.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCliqueClient, generateIdentity, type CliqueClient, type CliqueLine, type HostPort } from '@p2p/core';
import { eventually, killAll, startP2pd, type DaemonProcess } from './daemon-process.js';
import { flood } from './flooder.js';

const LOOPBACK = ['--listen', '127.0.0.1:0', '--clique-listen', '127.0.0.1:0', '--no-lan'];
const daemons: DaemonProcess[] = [];
const clients: CliqueClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close().catch(() => undefined)));
  await Promise.all(daemons.splice(0).map((d) => d.stop('SIGKILL')));
});
afterAll(() => killAll());

const hostPort = (s: string): HostPort => ({ host: s.slice(0, s.lastIndexOf(':')), port: Number(s.slice(s.lastIndexOf(':') + 1)) });
interface Server { d: DaemonProcess; id: string; peer: string; clients: HostPort }

async function server(name: string, join: Server[] = [], extra: string[] = []): Promise<Server> {
  const d = await startP2pd(['--name', name, '--role', 'server', ...LOOPBACK, ...join.flatMap((s) => ['--clique', s.peer]), ...extra]);
  daemons.push(d);
  const ready = d.ready as typeof d.ready & { clique: string };
  return { d, id: d.ready.peerId, peer: d.ready.listen, clients: hostPort(ready.clique) };
}

interface Client { c: CliqueClient; lines: CliqueLine[]; events: string[] }
async function client(name: string | undefined, ...at: Server[]): Promise<Client> {
  return clientWith({}, name, ...at);
}
async function clientWith(opts: { reconnect?: boolean }, name: string | undefined, ...at: Server[]): Promise<Client> {
  const c = createCliqueClient({ servers: at.map((s) => s.clients), name, identity: await generateIdentity(), timeoutMs: 5000, ...opts });
  clients.push(c);
  const out: Client = { c, lines: [], events: [] };
  c.on('line', (l) => out.lines.push(l));
  c.on('registered', (e) => out.events.push(`registered:${e.server.port}`));
  c.on('disconnected', () => out.events.push('disconnected'));
  await c.connect();
  return out;
}

/** Names online as one server sees them: name -> server name. */
async function view(s: Server): Promise<Record<string, string>> {
  const w = createCliqueClient({ servers: [s.clients], identity: await generateIdentity(), reconnect: false });
  try {
    await w.connect();
    return Object.fromEntries((await w.who()).map((e) => [e.name, e.serverName]));
  } finally {
    await w.close();
  }
}

/** Waits until every server has every other as a member (its log says so) and they all see `names`. */
async function converged(servers: Server[], names: Record<string, string>): Promise<void> {
  await eventually(async () => {
    for (const s of servers) if (JSON.stringify(Object.entries(await view(s)).sort()) !== JSON.stringify(Object.entries(names).sort())) return false;
    return true;
  }, 30_000, `every server to see ${JSON.stringify(names)}`);
}

function joinedLog(s: Server): number {
  return s.d.lines.filter((l) => l.includes('clique: server joined')).length - s.d.lines.filter((l) => l.includes('clique: server left')).length;
}

describe('the server clique (p2pd --role server)', () => {
  it('three servers, clients spread over them: direct and * lines arrive exactly once each', async () => {
    const a = await server('srv-a');
    const b = await server('srv-b', [a]);
    const c = await server('srv-c', [b]); // knows only b: learns a from b's roster
    await eventually(() => [a, b, c].every((s) => joinedLog(s) === 2), 30_000, 'a full mesh of three');
    const where: Record<string, Server> = { alice: a, bob: b, carol: c, dave: a, erin: c };
    const cs: Record<string, Client> = {};
    for (const [n, s] of Object.entries(where)) cs[n] = await client(n, s);
    await converged([a, b, c], Object.fromEntries(Object.entries(where).map(([n, s]) => [n, s.d.ready.name])));

    const names = Object.keys(where);
    for (const from of names) {
      for (const to of names) if (from !== to) expect(await cs[from]!.c.send(to, `${from}->${to}`)).toMatchObject({ status: 'delivered', delivered: 1 });
      expect(await cs[from]!.c.send('*', `${from}->*`)).toMatchObject({ status: 'delivered', delivered: names.length - 1 });
    }
    const expected = (n: string) => names.filter((x) => x !== n).flatMap((x) => [`${x}->${n}`, `${x}->*`]).sort();
    await eventually(() => names.every((n) => cs[n]!.lines.length >= expected(n).length), 15_000, 'every line');
    for (const n of names) expect(cs[n]!.lines.map((l) => l.text).sort()).toEqual(expected(n));
    expect(await cs.alice!.c.send('nobody', 'hm')).toMatchObject({ status: 'no-such-client' });
  });

  it('refuses a taken name, including two clients asking two servers at the same moment', async () => {
    const a = await server('srv-a');
    const b = await server('srv-b', [a]);
    await eventually(() => joinedLog(a) === 1 && joinedLog(b) === 1, 30_000, 'a clique of two');
    await client('Zoë', a);
    await converged([a, b], { 'Zoë': 'srv-a' });
    await expect(client('ZOË', b)).rejects.toMatchObject({ code: 'ERR_CLIQUE_NAME_TAKEN', reason: 'taken' });

    for (let round = 0; round < 3; round++) {
      const wanted = `twin${round}`;
      const mk = async (s: Server) => {
        const c = createCliqueClient({ servers: [s.clients], name: round % 2 ? wanted.toUpperCase() : wanted, identity: await generateIdentity(), reconnect: false });
        clients.push(c);
        return c;
      };
      const [x, y] = [await mk(a), await mk(b)];
      const results = await Promise.allSettled([x.connect(), y.connect()]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(won).toHaveLength(1);
      expect(lost[0]!.reason).toMatchObject({ code: 'ERR_CLIQUE_NAME_TAKEN' });
      const winner = results[0]!.status === 'fulfilled' ? 'srv-a' : 'srv-b';
      for (const s of [a, b]) expect((await view(s))[round % 2 ? wanted.toUpperCase() : wanted]).toBe(winner);
    }
  });

  it('a killed server frees its clients\' names everywhere and its clients reconnect to another server', async () => {
    const a = await server('srv-a');
    const b = await server('srv-b', [a]);
    const c = await server('srv-c', [a]);
    await eventually(() => [a, b, c].every((s) => joinedLog(s) === 2), 30_000, 'a full mesh of three');
    const alice = await client('alice', a);
    const carol = await client('carol', c, b); // prefers c, falls back to b
    const watcher = await client(undefined, b);
    await client('cid', c); // no other server to go to: its name must simply be freed
    await converged([a, b, c], { alice: 'srv-a', carol: 'srv-c', cid: 'srv-c' });

    await c.d.stop('SIGKILL');
    await eventually(async () => carol.events.includes(`registered:${b.clients.port}`), 30_000, 'carol back on b');
    await converged([a, b], { alice: 'srv-a', carol: 'srv-b' });
    expect(await alice.c.send('carol', 'still there?')).toMatchObject({ status: 'delivered' });
    await eventually(() => carol.lines.some((l) => l.text === 'still there?'), 10_000, 'the line to carol');
    expect((await watcher.c.who()).map((e) => e.name).sort()).toEqual(['alice', 'carol']);
  });

  it('a new server joins a running clique and takes clients', async () => {
    const a = await server('srv-a');
    const b = await server('srv-b', [a]);
    await eventually(() => joinedLog(a) === 1 && joinedLog(b) === 1, 30_000, 'a clique of two');
    const alice = await client('alice', a);
    const d = await server('srv-d', [b]);
    await eventually(() => [a, b, d].every((s) => joinedLog(s) === 2), 30_000, 'srv-d everywhere');
    const dan = await client('dan', d);
    await converged([a, b, d], { alice: 'srv-a', dan: 'srv-d' });
    expect(await dan.c.send('alice', 'hello from the new server')).toMatchObject({ status: 'delivered' });
    expect(await alice.c.send('dan', 'welcome')).toMatchObject({ status: 'delivered' });
    await eventually(() => alice.lines.length === 1 && dan.lines.length === 1, 10_000, 'both lines');
  });

  it('a server not on the allow list is refused: it joins nowhere and claims no name', async () => {
    // Identities first (a data directory keeps its key), then the real clique with its allow list.
    const ids = await Promise.all(['a', 'b'].map(async (n) => {
      const s = await server(`probe-${n}`);
      await s.d.stop('SIGTERM');
      daemons.splice(daemons.indexOf(s.d), 1);
      return s;
    }));
    const allow = (i: number) => ['--clique-allow', ids[1 - i]!.id];
    const sa = await startP2pd(['--name', 'srv-a', '--role', 'server', ...LOOPBACK, ...allow(0)], ids[0]!.d.dataDir);
    daemons.push(sa);
    const A: Server = { d: sa, id: sa.ready.peerId, peer: sa.ready.listen, clients: hostPort((sa.ready as never as { clique: string }).clique) };
    const sb = await startP2pd(['--name', 'srv-b', '--role', 'server', ...LOOPBACK, ...allow(1), '--clique', A.peer], ids[1]!.d.dataDir);
    daemons.push(sb);
    const B: Server = { d: sb, id: sb.ready.peerId, peer: sb.ready.listen, clients: hostPort((sb.ready as never as { clique: string }).clique) };
    await eventually(() => joinedLog(A) === 1 && joinedLog(B) === 1, 30_000, 'the allowed pair');
    expect(A.d.lines.some((l) => l.includes('clique is open'))).toBe(false);
    const rogue = await server('rogue', [A]);
    expect(rogue.d.lines.some((l) => l.includes('clique is open'))).toBe(true);
    await eventually(() => rogue.d.lines.some((l) => l.includes('refused by a server')), 30_000, 'the rogue told it is refused');
    await client('mallory', rogue);
    await client('alice', A);
    await converged([A, B], { alice: 'srv-a' });
    expect(joinedLog(A)).toBe(1);
    expect(A.d.lines.some((l) => l.includes('not on the allow list'))).toBe(true);
  });

  it('cuts a flooding client off without delaying the others', async () => {
    const a = await server('srv-a', [], ['--clique-line-rate', '20']);
    const b = await server('srv-b', [a], ['--clique-line-rate', '20']);
    await eventually(() => joinedLog(a) === 1 && joinedLog(b) === 1, 30_000, 'a clique of two');
    const alice = await client('alice', a);
    const bob = await client('bob', b);
    await converged([a, b], { alice: 'srv-a', bob: 'srv-b' });
    // 400 lines at once from a client that ignores its budget (bounded), while alice keeps talking to bob.
    const spam = flood(a.clients, await generateIdentity(), 'flood', 'bob', 400, 10);
    const mine = await Promise.all(Array.from({ length: 10 }, (_, i) => alice.c.send('bob', `alice ${i}`)));
    expect(mine.every((r) => r.status === 'delivered')).toBe(true);
    const flooder = await spam;
    await flooder.closed;
    expect(flooder.frames.some((f) => f.goodbye?.detail?.includes('flooding'))).toBe(true);
    await eventually(() => a.d.lines.some((l) => l.includes('client cut off') && l.includes('flooding')), 10_000, 'the flooder cut off');
    await converged([a, b], { alice: 'srv-a', bob: 'srv-b' });
    await eventually(() => bob.lines.filter((l) => l.from === 'alice').length === 10, 10_000, 'all of alice\'s lines');
    expect(bob.lines.filter((l) => l.from === 'alice').map((l) => l.text)).toEqual(Array.from({ length: 10 }, (_, i) => `alice ${i}`));
    // The burst (4 s of lines) and what trickled in while the flood was read; never the whole flood.
    expect(bob.lines.filter((l) => l.from === 'flood').length).toBeLessThan(200);
  });
});
