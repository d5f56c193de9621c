/**
 * Churn: while broadcasts and direct messages flow between the daemons that stay up, a third of the daemons fail at
 * once (half killed with SIGKILL, half frozen with SIGSTOP). Every message must reach every daemon that stayed up
 * exactly once, and the survivors must heal to their target degree among themselves.
 */
import type { Lab } from '../lab.js';
import type { SentMessage } from '../observe/traffic.js';
import { sleep } from '../observe/wait.js';
import { ensureMesh, trafficRound, waitForDeliveries, waitHealed, waitNoticed } from './mesh-steps.js';
import type { Progress, ScenarioOutcome } from './types.js';

/** Options of the churn scenario. */
export interface ChurnOptions {
  /** Traffic rounds (a broadcast and a direct each); default 24. */
  rounds?: number;
  /** Round at which the failures happen; default 6. */
  failAtRound?: number;
  /** Pause between rounds; default 150 ms. */
  roundGapMs?: number;
  progress?: Progress;
}

/** Runs churn on the lab's mesh (starting one with LAN discovery if none runs). */
export async function runChurn(lab: Lab, opts: ChurnOptions = {}): Promise<ScenarioOutcome> {
  const say = opts.progress ?? (() => {});
  const daemons = await ensureMesh(lab);
  const victims = daemons.slice(daemons.length - Math.max(1, Math.floor(daemons.length / 3)));
  const survivors = daemons.filter((d) => !victims.includes(d));
  const killed = victims.filter((_, i) => i % 2 === 0);
  const frozen = victims.filter((_, i) => i % 2 === 1);
  const rounds = opts.rounds ?? 24;
  const failAt = Math.min(rounds - 1, opts.failAtRound ?? 6);
  const sent: SentMessage[] = [];
  const directs: Promise<SentMessage[]>[] = [];
  let detect: Promise<number> | undefined;
  let failedAt = Date.now();
  for (let r = 0; r < rounds; r++) {
    if (r === failAt) {
      say(`churn: killing ${killed.length} and freezing ${frozen.length} of ${daemons.length} daemons`);
      failedAt = Date.now();
      detect = waitNoticed(survivors, victims, 60_000);
      await Promise.all([...killed.map((d) => d.kill()), ...frozen.map((d) => d.freeze())]);
    }
    // Directs wait for their acknowledgement: several are in flight at once, as from busy users.
    directs.push(trafficRound(survivors));
    await sleep(opts.roundGapMs ?? 150);
  }
  sent.push(...(await Promise.all(directs)).flat());
  const detectMs = await detect!;
  say(`churn: every survivor noticed the failures after ${detectMs} ms`);
  const healed = await waitHealed(survivors, 90_000).then(() => true, () => false);
  const convergeMs = healed ? Date.now() - failedAt : null;
  say(`churn: survivors ${healed ? `healed ${convergeMs} ms after the failures` : 'did not heal'}`);
  const { missing, unacknowledged, ...counts } = await waitForDeliveries(sent, survivors);
  return {
    ...counts, healed, detectMs, convergeMs,
    details: { unacknowledged, killed: killed.length, frozen: frozen.length, survivors: survivors.length, missing },
  };
}
