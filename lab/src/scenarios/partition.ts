/**
 * Partition: the hosts are split into two halves (their bridge ports moved to separate bridges). Each half must keep
 * delivering its own traffic; after the heal, the halves must merge into one mesh that carries traffic end to end.
 */
import type { Lab } from '../lab.js';
import type { SentMessage } from '../observe/traffic.js';
import { ensureMesh, trafficRound, waitForDeliveries, waitHealed, waitNoticed } from './mesh-steps.js';
import type { Progress, ScenarioOutcome } from './types.js';

/** Options of the partition scenario. */
export interface PartitionOptions {
  /** Traffic rounds inside each half during the split, and across after the heal; default 4. */
  rounds?: number;
  progress?: Progress;
}

/** Runs a split and a heal on the lab's mesh (starting one with LAN discovery if none runs). */
export async function runPartition(lab: Lab, opts: PartitionOptions = {}): Promise<ScenarioOutcome> {
  const say = opts.progress ?? (() => {});
  const rounds = opts.rounds ?? 4;
  const daemons = await ensureMesh(lab);
  const half = Math.floor(daemons.length / 2);
  const a = daemons.slice(0, half);
  const b = daemons.slice(half);
  say(`partition: splitting ${a.length} | ${b.length}`);
  const splitAt = Date.now();
  await lab.network.partition(b.map((d) => d.host));
  const [detectA, detectB] = await Promise.all([waitNoticed(a, b, 60_000), waitNoticed(b, a, 60_000)]);
  const detectMs = Date.now() - splitAt;
  say(`partition: both halves noticed the split after ${detectMs} ms (${detectA} / ${detectB} ms)`);
  const sentA: SentMessage[] = [];
  const sentB: SentMessage[] = [];
  for (let r = 0; r < rounds; r++) {
    sentA.push(...(await trafficRound(a)));
    sentB.push(...(await trafficRound(b)));
  }
  const inA = await waitForDeliveries(sentA, a);
  const inB = await waitForDeliveries(sentB, b);
  say('partition: healing');
  const healAt = Date.now();
  await lab.network.heal();
  const healed = await waitHealed(daemons, 120_000).then(() => true, () => false);
  const convergeMs = healed ? Date.now() - healAt : null;
  say(`partition: ${healed ? `one mesh again ${convergeMs} ms after the heal` : 'the halves did not merge'}`);
  const sentAll: SentMessage[] = [];
  for (let r = 0; r < rounds; r++) sentAll.push(...(await trafficRound(daemons)));
  const after = await waitForDeliveries(sentAll, daemons);
  return {
    sent: inA.sent + inB.sent + after.sent,
    expected: inA.expected + inB.expected + after.expected,
    delivered: inA.delivered + inB.delivered + after.delivered,
    duplicates: inA.duplicates + inB.duplicates + after.duplicates,
    healed, detectMs, convergeMs,
    details: { halves: [a.length, b.length], missing: [...inA.missing, ...inB.missing, ...after.missing], unacknowledged: [...inA.unacknowledged, ...inB.unacknowledged, ...after.unacknowledged] },
  };
}
