/** Runs one scenario in a lab of its own and tears the lab down, counting what is left behind. */
import { createLab, type Lab } from '../lab.js';
import { LabUsageError } from '../errors.js';
import { runChurn } from './churn.js';
import { runDiscovery } from './discovery.js';
import { runFiles } from './files.js';
import { runHostile } from './hostile.js';
import { runPartition } from './partition.js';
import type { Progress, ScenarioOutcome, ScenarioResult } from './types.js';

/** Names `npm run lab` accepts. */
export const SCENARIOS = ['discovery', 'discovery-lan', 'discovery-seeds', 'churn', 'partition', 'hostile', 'files'] as const;
/** One of SCENARIOS. */
export type ScenarioName = (typeof SCENARIOS)[number];

const runners: Record<ScenarioName, (lab: Lab, progress: Progress) => Promise<ScenarioOutcome>> = {
  'discovery-lan': (lab, progress) => runDiscovery(lab, { mode: 'lan', progress }),
  'discovery-seeds': (lab, progress) => runDiscovery(lab, { mode: 'seeds', progress }),
  // Both mechanisms, each alone, one after the other on the same hosts (separate data directories).
  async discovery(lab, progress) {
    const lan = await runDiscovery(lab, { mode: 'lan', progress });
    await lab.stopAll();
    const seeds = await runDiscovery(lab, { mode: 'seeds', progress });
    return {
      sent: lan.sent + seeds.sent, expected: lan.expected + seeds.expected, delivered: lan.delivered + seeds.delivered,
      duplicates: lan.duplicates + seeds.duplicates, healed: lan.healed && seeds.healed, detectMs: null,
      convergeMs: Math.max(lan.convergeMs ?? 0, seeds.convergeMs ?? 0),
      details: { lan: { convergeMs: lan.convergeMs, ...lan.details }, seeds: { convergeMs: seeds.convergeMs, ...seeds.details } },
    };
  },
  churn: (lab, progress) => runChurn(lab, { progress }),
  partition: (lab, progress) => runPartition(lab, { progress }),
  hostile: (lab, progress) => runHostile(lab, { progress }),
  files: (lab, progress) => runFiles(lab, { progress }),
};

/** Runs `scenario` on `hosts` fresh hosts. */
export async function runScenario(scenario: string, hosts: number, progress: Progress = () => {}): Promise<ScenarioResult> {
  if (!(SCENARIOS as readonly string[]).includes(scenario)) throw new LabUsageError(`unknown scenario ${scenario}: one of ${SCENARIOS.join(', ')}`);
  const lab = await createLab({ hosts });
  let outcome: ScenarioOutcome | undefined;
  let failure: unknown;
  try {
    outcome = await runners[scenario as ScenarioName](lab, progress);
  } catch (err) {
    failure = err;
  }
  const left = await lab.destroy();
  const leftovers = left.namespaces.length + left.processes.length;
  if (failure) {
    const err = failure as Error;
    return {
      scenario, hosts, sent: 0, expected: 0, delivered: 0, duplicates: 0, healed: false, detectMs: null, leftovers,
      convergeMs: null, details: { error: `${err.name}: ${err.message}` },
    };
  }
  const o = outcome!;
  // The documented key order: {scenario, hosts, sent, expected, delivered, duplicates, healed, detectMs, leftovers, ...}.
  return {
    scenario, hosts, sent: o.sent, expected: o.expected, delivered: o.delivered, duplicates: o.duplicates, healed: o.healed,
    detectMs: o.detectMs, leftovers, convergeMs: o.convergeMs, details: o.details,
  };
}

/** True when a result meets its scenario's bar: everything owed delivered once, healed, nothing left behind. */
export function passed(r: ScenarioResult): boolean {
  return !r.details.error && r.delivered === r.expected && r.duplicates === 0 && r.healed && r.leftovers === 0;
}
