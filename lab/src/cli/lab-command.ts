/** `npm run lab -- <scenario> --hosts N [--json]`: one scenario in a fresh lab, a summary or one JSON object. */
import yargs from 'yargs';
import { labSupport } from '../netns/privileges.js';
import { cleanLeftovers } from '../netns/leftovers.js';
import { passed, runScenario, SCENARIOS } from '../scenarios/run-scenario.js';
import type { ScenarioResult } from '../scenarios/types.js';

/** Exit codes of `lab`. */
export const LAB_EXIT = { ok: 0, failed: 1, usage: 2, notPermitted: 3 } as const;

/** Formats a result for a human. */
export function formatResult(r: ScenarioResult): string {
  const lines = [
    `${r.scenario} on ${r.hosts} hosts: ${passed(r) ? 'PASS' : 'FAIL'}`,
    `  messages sent ${r.sent}, deliveries owed ${r.expected}, delivered ${r.delivered}, duplicates ${r.duplicates}`,
    `  healed ${r.healed ? 'yes' : 'no'}${r.convergeMs !== null ? ` (mesh formed/healed in ${r.convergeMs} ms)` : ''}` +
      `${r.detectMs !== null ? `, faults noticed in ${r.detectMs} ms` : ''}`,
    `  left behind: ${r.leftovers} namespaces/processes`,
  ];
  if (r.scenario === 'files' && typeof r.details.elapsedMs === 'number') {
    lines.push(`  ${String(r.details.bytes)} bytes to ${r.expected} hosts in ${r.details.elapsedMs} ms, ${String(r.details.throughputMiBps)} MiB/s aggregate`);
  }
  if (r.details.error) lines.push(`  error: ${String(r.details.error)}`);
  return lines.join('\n');
}

/** Parses argv and runs; resolves with the exit code. */
export async function labMain(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName('npm run lab --')
    .usage('$0 <scenario> [--hosts N] [--json]\n\nRuns one scenario on N hosts (network namespaces on a bridge, p2pd on each) and tears everything down.')
    .command('$0 <scenario>', false, (y) => y.positional('scenario', { choices: [...SCENARIOS, 'cleanup'] as string[], describe: 'what to run (cleanup: remove what a crashed lab left)' }))
    .option('hosts', { type: 'number', default: 12, describe: 'number of hosts (hostile: the last one is the attacker)' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object {scenario,hosts,sent,expected,delivered,duplicates,healed,detectMs,leftovers,...}' })
    .example('$0 churn --hosts 12 --json', 'a third of 12 daemons killed or frozen under traffic')
    .example('$0 files --hosts 6', 'host 1 shares a 32 MiB file, the 5 others fetch it at once, verified by SHA-256')
    .epilog('Exit codes: 0 the scenario passed, 1 it failed (or left something behind), 2 bad usage, 3 not root (namespaces not permitted).')
    .strict()
    .fail((msg, err) => {
      throw err ?? new Error(msg);
    })
    .parseAsync()
    .catch((err: Error) => {
      process.stderr.write(`lab: ${err.message}\n`);
      return undefined;
    });
  if (!args) return LAB_EXIT.usage;
  const support = labSupport();
  if (!support.ok) {
    process.stderr.write(`lab: cannot build a lab here: ${support.reason} (the lab needs root and iproute2)\n`);
    return LAB_EXIT.notPermitted;
  }
  if (args.scenario === 'cleanup') {
    const left = cleanLeftovers();
    process.stdout.write(`lab: cleanup done, ${left.namespaces.length + left.processes.length} left\n`);
    return LAB_EXIT.ok;
  }
  const progress = args.json ? () => {} : (line: string) => process.stderr.write(`${line}\n`);
  const result = await runScenario(String(args.scenario), args.hosts, progress);
  process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${formatResult(result)}\n`);
  return passed(result) ? LAB_EXIT.ok : LAB_EXIT.failed;
}
