/**
 * The hostile host's process, run inside its lab namespace: one attacker that floods valid broadcasts and junk
 * envelopes over real sessions, opens half-open connections, and sends garbage over TCP and UDP. Every loop is
 * bounded in count and in time (plan.durationMs); every address it uses is a lab address given in the plan.
 */
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { createNode, peerIdFromString } from '@p2p/core';
import { DATAGRAM_MAGIC } from '@p2p/core/wire';
import type { HostilePlan, HostileReport } from './hostile-plan.js';

const plan = JSON.parse(process.argv[2] ?? '{}') as HostilePlan;
const started = Date.now();
const deadline = started + plan.durationMs;
const report: HostileReport = { sessions: 0, floodSent: 0, junkSent: 0, halfOpen: 0, garbageConnections: 0, garbageBytes: 0, datagrams: 0, elapsedMs: 0 };
const sockets: Socket[] = [];
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

function openIdle(host: string, port: number, firstBytes?: Buffer): void {
  const s = connect({ host, port, localAddress: plan.self });
  s.on('error', () => {});
  s.on('connect', () => {
    if (firstBytes) s.write(firstBytes);
  });
  sockets.push(s);
}

async function halfOpen(): Promise<void> {
  for (const t of plan.targets) {
    for (let i = 0; i < plan.halfOpenPerTarget; i++) {
      // Half of them start a TLS record header and stall; the others never say anything.
      openIdle(t.host, t.port, i % 2 ? Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00]) : undefined);
      report.halfOpen++;
    }
  }
}

async function garbageTcp(): Promise<void> {
  for (const t of plan.targets) {
    for (let i = 0; i < plan.garbageConnectionsPerTarget && Date.now() < deadline; i++) {
      const s = connect({ host: t.host, port: t.port, localAddress: plan.self });
      s.on('error', () => {});
      // Random bytes, then a varint claiming a 2 GiB frame.
      const junk = Buffer.concat([randomBytes(4096), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x07])]);
      s.on('connect', () => s.end(junk));
      report.garbageConnections++;
      report.garbageBytes += junk.length;
      await tick();
    }
  }
}

async function garbageUdp(): Promise<void> {
  const udp = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((resolve) => udp.bind(0, plan.self, resolve));
  udp.setBroadcast(true);
  const destinations = [plan.broadcast, ...plan.targets.map((t) => t.host)];
  for (let i = 0; i < plan.garbageDatagrams && Date.now() < deadline; i++) {
    for (const host of destinations) {
      // Alternately plain noise and our magic followed by noise (passes the cheap check, fails decoding).
      const body = i % 2 ? randomBytes(200) : Buffer.concat([Buffer.from(DATAGRAM_MAGIC), Buffer.from([1]), randomBytes(200)]);
      udp.send(body, plan.discoveryPort, host);
      report.datagrams++;
    }
    if (i % 20 === 0) await tick();
  }
  await new Promise<void>((resolve) => udp.close(() => resolve()));
}

/** Phase 1: a real node with a session to every target (before the raw attacks fill their handshake slots). */
async function openSessions(): Promise<ReturnType<typeof createNode>> {
  const node = createNode({
    dataDir: plan.dataDir, name: 'hostile', listen: { host: plan.self, port: 7070 },
    lan: { enabled: false }, seeds: plan.targets.map((t) => ({ host: t.host, port: t.port })),
    mesh: { targetDegree: plan.targets.length, maxConnections: plan.targets.length + 4 },
  });
  await node.start();
  await Promise.allSettled(plan.targets.map((t) => node.connect({ host: t.host, port: t.port }, t.peerId)));
  report.sessions = node.peers().filter((p) => p.state === 'connected').length;
  return node;
}

/** Phase 2, over the sessions: well-formed broadcasts as fast as the sessions take them, then junk envelopes. */
async function floodOverSessions(node: ReturnType<typeof createNode>): Promise<void> {
  // Raw Broadcast envelopes straight to every target: an attacker does not hold itself to the node's own broadcast
  // budget. Half carry its own ID as origin, half made-up origins (which the receivers cannot pin on anyone).
  const self = peerIdFromString(node.peerId);
  for (let i = 0; i < plan.floodBroadcasts && Date.now() < deadline; i++) {
    const envelope = {
      broadcast: {
        messageId: randomBytes(16), origin: i % 2 ? randomBytes(32) : self, hopCount: 0, maxHops: 32,
        chat: { text: `flood ${i} ${'x'.repeat(200)}`, fromName: 'hostile', sentAtMs: Date.now() },
      },
    };
    for (const t of plan.targets) if (node.sendEnvelope(t.peerId, envelope)) report.floodSent++;
    if (i % 20 === 19) await tick();
  }
  for (let i = 0; i < plan.junkEnvelopes && Date.now() < deadline; i++) {
    for (const t of plan.targets) {
      const ids = Array.from({ length: 64 }, () => randomBytes(16));
      const kind = i % 3;
      const ok = kind === 0 ? node.sendEnvelope(t.peerId, { ihave: { messageIds: ids, hopCount: 0 } })
        : kind === 1 ? node.sendEnvelope(t.peerId, { broadcast: { messageId: randomBytes(3), origin: randomBytes(7), hopCount: 0, maxHops: 255 } })
          : node.sendEnvelope(t.peerId, { graft: { messageIds: ids } });
      if (ok) report.junkSent++;
    }
    if (i % 50 === 49) await tick();
  }
}

const node = await openSessions().catch((err) => {
  process.stderr.write(`hostile: no sessions: ${(err as Error).message}\n`);
  return undefined;
});
// Then everything at once: the raw attacks do not wait for the flood to end.
await Promise.all([node ? floodOverSessions(node) : undefined, halfOpen(), garbageTcp(), garbageUdp()]);
// Hold the half-open connections for a while (the daemons' handshake timeout is what closes them).
while (Date.now() < Math.min(deadline, started + 6000)) await new Promise((r) => setTimeout(r, 100));
for (const s of sockets) s.destroy();
await node?.stop();
report.elapsedMs = Date.now() - started;
process.stdout.write(`${JSON.stringify(report)}\n`);
process.exit(0);
