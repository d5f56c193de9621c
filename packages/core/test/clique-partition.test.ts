// Clique servers on real nodes (sessions, Hello, liveness, redials) over the in-memory network, which can cut one
// link silently; clients on their own TLS sessions on loopback. a and b lose each other while both keep c.
import { describe, expect, it } from 'vitest';
import { createCliqueClient, startCliqueServer, type CliqueServer } from '../src/clique/index.js';
import { generateIdentity, loadOrCreateIdentity } from '../src/identity/node-identity.js';
import { createMemoryNetwork, type MemoryNetwork } from '../src/transport/memory-network.js';
import { silentLogger } from '../src/util/logger.js';
import { cliqueTeardown } from './clique-fixture.js';
import { Harness, waitFor, type TestNode } from './helpers.js';

let h: Harness;
const { servers, clients } = cliqueTeardown(() => h);

async function server(net: MemoryNetwork, name: string, join: TestNode[] = []) {
  const dataDir = await h.dir();
  // Pings every 300 ms, dead after 3 missed: a silent cut is noticed in about a second.
  const node = await h.node({
    dataDir, role: 'server', name, transport: net.factory, listen: { host: 'mem', port: 7070 },
    mesh: { pingIntervalMs: 300, maxMissedPings: 3 },
  });
  const clique = await startCliqueServer({
    node, identity: await loadOrCreateIdentity(dataDir), clientListen: { host: '127.0.0.1', port: 0 },
    join: join.map((n) => n.listenAddress()!), logger: silentLogger,
  });
  servers.push(clique);
  return { node, clique };
}

async function client(name: string, at: CliqueServer) {
  const c = createCliqueClient({ servers: [at.clientAddress], name, identity: await generateIdentity(), timeoutMs: 3000, reconnect: false });
  clients.push(c);
  await c.connect();
  return c;
}

const view = (s: CliqueServer) => Object.fromEntries(s.online().map((e) => [e.name, e.serverName]).sort());

describe('clique partitions over real sessions', () => {
  it('a cut link: b cannot take a name held on a (c refuses it), the link heals by redial, the views converge', async () => {
    h = new Harness();
    const net = createMemoryNetwork();
    const c = await server(net, 'srv-c');
    const a = await server(net, 'srv-a', [c.node]);
    const b = await server(net, 'srv-b', [c.node]); // learns a from c's roster
    await waitFor(() => [a, b, c].every((s) => s.clique.members().length === 2), 10_000, 'a full mesh of three');
    await client('pat', a.clique);
    await waitFor(() => view(b.clique).pat === 'srv-a', 5000, 'pat known at b');

    net.cut(a.node.peerId, b.node.peerId);
    await waitFor(() => a.clique.members().length === 1 && b.clique.members().length === 1, 10_000, 'a and b lose each other');
    expect(c.clique.members()).toHaveLength(2);
    await expect(client('PAT', b.clique)).rejects.toMatchObject({ code: 'ERR_CLIQUE_NAME_TAKEN', reason: 'taken' });
    await client('quinn', b.clique);

    net.heal(a.node.peerId, b.node.peerId);
    await waitFor(() => [a, b, c].every((s) => s.clique.members().length === 2), 15_000, 'the link redialled');
    const expected = { pat: 'srv-a', quinn: 'srv-b' };
    await waitFor(() => [a, b, c].every((s) => JSON.stringify(view(s.clique)) === JSON.stringify(expected)), 15_000, 'the same names everywhere');
    for (const s of [a, b, c]) expect(view(s.clique)).toEqual(expected);
  }, 60_000);
});
