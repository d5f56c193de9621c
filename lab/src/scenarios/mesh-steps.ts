/** Steps the scenarios share: bring a mesh up, wait for it to heal, send a round of traffic. */
import type { LabDaemon } from '../daemon/lab-daemon.js';
import type { Lab } from '../lab.js';
import { isHealed, meshView, targetDegree } from '../observe/mesh-view.js';
import { sendBroadcast, sendDirect, tally, type SentMessage, type Tally } from '../observe/traffic.js';
import { waitUntil } from '../observe/wait.js';

/** How daemons find each other. */
export type DiscoveryMode = 'lan' | 'seeds';

/** The p2pd flags of a host for a discovery mode: LAN alone (the defaults), or seeds alone (LAN off, host 1 the seed). */
export function discoveryArgs(mode: DiscoveryMode, lab: Lab): (host: { index: number }) => string[] {
  if (mode === 'lan') return () => [];
  const seed = lab.network.hosts[0]!;
  return (h) => (h.index === seed.index ? ['--no-lan', '--role', 'seed'] : ['--no-lan', '--seed', `${seed.address}:7070`]);
}

/** Waits until `daemons` form one mesh with each at its target degree among them; returns the time it took. */
export function waitHealed(daemons: readonly LabDaemon[], ms: number): Promise<number> {
  const degree = targetDegree(daemons.length);
  return waitUntil(`a mesh of ${daemons.length} daemons at degree ${degree}`, async () => isHealed(await meshView(daemons), daemons, degree), ms, 300);
}

/** The running daemons of a lab. */
export function running(lab: Lab): LabDaemon[] {
  return lab.daemons.filter((d): d is LabDaemon => d !== undefined && d.state === 'running');
}

/** Random element (Math.random: the lab is not a deterministic simulation). */
export function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

/** One broadcast from a random daemon and one direct message between two random daemons of `among`. */
export async function trafficRound(among: readonly LabDaemon[]): Promise<SentMessage[]> {
  const from = pick(among);
  const others = among.filter((d) => d !== from);
  const out = [await sendBroadcast(from)];
  if (others.length > 0) out.push(await sendDirect(from, pick(others)));
  return out;
}

/** Polls the inboxes until everything owed is stored (or `ms`), then returns the final count. */
export async function waitForDeliveries(sent: readonly SentMessage[], receivers: readonly LabDaemon[], ms = 30_000): Promise<Tally> {
  const end = Date.now() + ms;
  for (;;) {
    const t = await tally(sent, receivers);
    if (t.delivered >= t.expected || Date.now() > end) return t;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The running daemons of `lab`, after starting one on each of `hosts` (LAN discovery) if none runs yet, healed. */
export async function ensureMesh(lab: Lab, hosts = lab.network.hosts, ms = 90_000): Promise<LabDaemon[]> {
  if (running(lab).length === 0) await lab.startAll(discoveryArgs('lan', lab), 'lan', hosts);
  const daemons = running(lab);
  await waitHealed(daemons, ms);
  return daemons;
}

/** Waits until none of `observers` reports any of `gone` as connected; returns the time it took. */
export function waitNoticed(observers: readonly LabDaemon[], gone: readonly LabDaemon[], ms: number): Promise<number> {
  const ids = new Set(gone.map((d) => d.peerId));
  return waitUntil(`${observers.length} daemons to notice ${gone.length} gone`, async () => {
    const view = await meshView(observers);
    return observers.every((d) => ![...(view.connected.get(d.peerId) ?? [])].some((p) => ids.has(p)));
  }, ms, 100);
}
