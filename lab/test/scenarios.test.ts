/**
 * The lab's scenarios in CI, on one lab of 13 hosts (12 daemons and a free host for the attacker), one stage after
 * the other: discovery by seeds alone, then by LAN alone, then on that mesh a partition and heal, a hostile host, and
 * churn. Each stage asserts delivery (everything owed stored exactly once), healing, and the last one that teardown
 * leaves no namespace or process behind. Skipped (with the reason) without root or iproute2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLab, type Lab } from '../src/lab.js';
import { findLeftovers } from '../src/netns/leftovers.js';
import { labSupport } from '../src/netns/privileges.js';
import { runChurn } from '../src/scenarios/churn.js';
import { runDiscovery } from '../src/scenarios/discovery.js';
import { runHostile } from '../src/scenarios/hostile.js';
import { runPartition } from '../src/scenarios/partition.js';
import type { ScenarioOutcome } from '../src/scenarios/types.js';
import type { LabDaemon } from '../src/daemon/lab-daemon.js';
import { tc } from '../src/netns/ip.js';
import { sendBroadcast, sendDirect } from '../src/observe/traffic.js';
import { running, waitForDeliveries, waitHealed, waitNoticed } from '../src/scenarios/mesh-steps.js';

const support = labSupport();
if (!support.ok) console.warn(`lab scenarios skipped: ${support.reason} (the lab needs root and iproute2)`);
const DAEMONS = 12;
const progress = (line: string) => console.log(`[lab] ${line}`);

let lab: Lab | undefined;

beforeAll(async () => {
  if (support.ok) lab = await createLab({ hosts: DAEMONS + 1 });
});

afterAll(async () => {
  await lab?.destroy();
});

function expectClean(r: ScenarioOutcome): void {
  expect(r.details.missing, `owed deliveries not stored: ${JSON.stringify(r.details)}`).toEqual([]);
  expect(r.delivered).toBe(r.expected);
  expect(r.duplicates).toBe(0);
  expect(r.expected).toBeGreaterThan(0);
}

describe.skipIf(!support.ok)('network lab scenarios (12 p2pd in namespaces)', () => {
  const daemonHosts = () => lab!.network.hosts.slice(0, DAEMONS);

  it('12 hosts find each other by seeds alone (LAN discovery off) and form one mesh', async () => {
    try {
      const r = await runDiscovery(lab!, { mode: 'seeds', hosts: daemonHosts(), progress });
      expectClean(r);
      expect(r.healed).toBe(true);
    } finally {
      // The LAN stage needs the hosts free even when this one failed.
      await lab!.stopAll();
    }
  });

  it('12 hosts find each other by LAN discovery alone and form one mesh', async () => {
    const r = await runDiscovery(lab!, { mode: 'lan', hosts: daemonHosts(), progress });
    expectClean(r);
    expect(r.healed).toBe(true);
  });

  it('partition: each half keeps delivering, and the halves merge into one mesh after the heal', async () => {
    const r = await runPartition(lab!, { progress, rounds: 3 });
    expectClean(r);
    expect(r.detectMs).toBeGreaterThan(0);
    expect(r.healed).toBe(true);
  });

  it('faults: a cut link is noticed and heals when restored; a restarted daemon rejoins as itself; a shaped link still carries', async () => {
    const daemons = running(lab!);
    const [shaped, restarted, cut] = daemons.slice(-3) as [LabDaemon, LabDaemon, LabDaemon];
    const others = daemons.filter((d) => d !== cut);
    await lab!.network.cut(cut.host);
    expect(await waitNoticed(others, [cut], 60_000)).toBeGreaterThan(0);
    await lab!.network.restore(cut.host);
    await waitHealed(daemons, 90_000);

    const before = restarted.peerId;
    const oldPid = restarted.pid;
    await restarted.restart();
    expect(restarted.peerId).toBe(before);
    expect(restarted.pid).not.toBe(oldPid);
    await waitHealed(daemons, 90_000);

    await lab!.network.shape(shaped.host, 2000);
    expect(await tc('-n', shaped.host.namespace, 'qdisc', 'show', 'dev', shaped.host.link)).toContain('tbf');
    const sent = [await sendBroadcast(shaped), await sendDirect(daemons[0]!, shaped)];
    const t = await waitForDeliveries(sent, daemons);
    expect(t.missing).toEqual([]);
    expect(t.delivered).toBe(t.expected);
    await lab!.network.unshape(shaped.host);
  });

  it('hostile: under floods, junk, half-open and garbage connections the other peers see no loss', async () => {
    const r = await runHostile(lab!, { progress, rounds: 8, plan: { floodBroadcasts: 1000, junkEnvelopes: 100, durationMs: 12_000 } });
    expectClean(r);
    expect(r.details.daemonsAlive).toBe(DAEMONS);
    expect(r.healed).toBe(true);
    expect((r.details.attack as { halfOpen: number } | undefined)?.halfOpen).toBeGreaterThan(0);
  });

  it('churn: a third killed or frozen under traffic; every message reaches every survivor exactly once, survivors heal', async () => {
    const r = await runChurn(lab!, { progress, rounds: 18, failAtRound: 5 });
    expectClean(r);
    expect(r.healed).toBe(true);
    expect(r.detectMs).toBeGreaterThan(0);
  });

  it('teardown leaves no namespace, link or process behind', async () => {
    const pids = lab!.daemons.flatMap((d) => (d ? [d.pid] : []));
    const left = await lab!.destroy();
    expect(left).toEqual({ namespaces: [], processes: [] });
    expect(findLeftovers(process.pid, false).namespaces).toEqual([]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    lab = undefined;
  });
});
