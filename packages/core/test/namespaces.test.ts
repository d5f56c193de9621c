// LAN discovery across hosts: three network namespaces joined by a bridge (in a fourth namespace), one node in
// each, found through subnet broadcast and, separately, through multicast alone. Everything lives in namespaces
// this test creates and deletes; it is skipped when namespaces cannot be created (not root, no iproute2).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildNode } from './fixtures/child-node.js';
import { waitFor } from './helpers.js';

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const tag = `p2p${process.pid % 100000}`;
const BRIDGE_NS = `${tag}br`;
const HOSTS = [1, 2, 3].map((i) => ({ ns: `${tag}h${i}`, address: `10.231.${process.pid % 200}.${i}` }));
const ip = (...args: string[]): string => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

function permitted(): boolean {
  try {
    ip('netns', 'add', `${tag}probe`);
    ip('netns', 'del', `${tag}probe`);
    return true;
  } catch {
    return false;
  }
}
const canRun = existsSync(DIST) && permitted();
if (!canRun) console.warn('namespaces test skipped: `ip netns add` is not permitted here (needs root and iproute2) or dist/ is not built');

const children: ChildNode[] = [];
let base = '';

function teardown(): void {
  for (const n of [...HOSTS.map((x) => x.ns), BRIDGE_NS]) {
    try { ip('netns', 'del', n); } catch { /* not there */ }
  }
}

beforeAll(() => {
  if (!canRun) return;
  teardown();
  ip('netns', 'add', BRIDGE_NS);
  ip('-n', BRIDGE_NS, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', BRIDGE_NS, 'link', 'set', 'br0', 'up');
  HOSTS.forEach((h, i) => {
    ip('netns', 'add', h.ns);
    // Created inside the host namespace, so the pair never appears in the namespace this test runs in.
    ip('-n', h.ns, 'link', 'add', 'hostlink', 'type', 'veth', 'peer', 'name', `port${i}`, 'netns', BRIDGE_NS);
    ip('-n', BRIDGE_NS, 'link', 'set', `port${i}`, 'master', 'br0');
    ip('-n', BRIDGE_NS, 'link', 'set', `port${i}`, 'up');
    ip('-n', h.ns, 'addr', 'add', `${h.address}/24`, 'dev', 'hostlink');
    ip('-n', h.ns, 'link', 'set', 'hostlink', 'up');
    ip('-n', h.ns, 'link', 'set', 'lo', 'up');
  });
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.kill()));
  if (canRun) teardown();
  if (base) await rm(base, { recursive: true, force: true });
});

async function runCase(name: string, lan: Record<string, unknown>): Promise<void> {
  base ||= await mkdtemp(join(tmpdir(), 'p2p-ns-'));
  const nodes = HOSTS.map((h, i) => new ChildNode({
    dataDir: join(base, `${name}${i}`), name: `${name}${i}`, listen: { host: h.address, port: 7070 },
    lan: { enabled: true, interface: h.address, ...lan }, mesh: { targetDegree: 2 },
  }, ['ip', 'netns', 'exec', h.ns]));
  children.push(...nodes);
  await Promise.all(nodes.map((n) => n.ready()));
  const end = Date.now() + 15_000;
  for (;;) {
    const connected = await Promise.all(nodes.map((n) => n.connected()));
    if (connected.every((c) => c.length === 2)) break;
    if (Date.now() > end) throw new Error(`${name}: nodes did not find each other: ${JSON.stringify(connected.map((c) => c.length))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const peersOf0 = await nodes[0]!.peers();
  expect(peersOf0.map((p) => p.address.host).sort()).toEqual([HOSTS[1]!.address, HOSTS[2]!.address]);
  const { messageId } = await nodes[0]!.command<{ messageId: string }>('broadcast', { text: `across the bridge (${name})` });
  await waitFor(() => nodes.slice(1).every((n) => n.events.some((e) => e.event === 'message' && (e as Record<string, unknown>).id === messageId)), 10_000, 'broadcast');
  await Promise.all(nodes.map((n) => n.command('stop').catch(() => undefined)));
}

describe.skipIf(!canRun)('LAN discovery across network namespaces', () => {
  it('finds the other hosts through the subnet broadcast address', async () => {
    await runCase('bcast', { mask: '255.255.255.0', multicastGroup: '', port: 7071 });
  }, 60_000);

  it('finds the other hosts through multicast alone', async () => {
    // A /32 mask has no broadcast address: only the multicast group carries announcements.
    await runCase('mcast', { mask: '32', port: 7072, intervalMs: 1000 });
  }, 60_000);
});
