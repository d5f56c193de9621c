/** `npm run sim -- [--nodes N ...] [--fail R ...] [--json] [--out FILE]`: the broadcast simulation on virtual time. */
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { sweep, type SweepRow } from '../sim/sim-sweep.js';
import { textTable } from './format-table.js';

const fmt = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** One table row for a human. */
export function simRow(r: SweepRow): string[] {
  return [
    String(r.nodes), r.latency, `${Math.round(r.failRatio * 100)}%`, r.mode, `${(r.deliveryRatio * 100).toFixed(3)}%`,
    fmt(r.copiesPerNode, 3), fmt(r.rmr, 3), `${r.lastHopMedian}/${r.lastHopMax}`, fmt(r.lastDeliveryMsMedian), fmt(r.lastDeliveryMsP95), fmt(r.ms9999Median), String(r.overDelivered), `${(r.wallMs / 1000).toFixed(1)} s`,
  ];
}

/** Header of simRow. */
export const SIM_HEADER = ['nodes', 'latency', 'failed', 'mode', 'delivered', 'copies/node', 'RMR', 'last hop med/max', 'last ms med', 'p95', '99.99% ms', 'dup', 'wall'];

/** Parses argv and runs; resolves with the exit code (1 when any run lost a message or delivered one twice). */
export async function simMain(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName('npm run sim --')
    .usage('$0 [--nodes N ...] [--fail R ...] [--json]\n\nSimulates broadcast over N nodes (core\'s Plumtree and flooding engines, the real codec, virtual time).')
    .option('nodes', { type: 'number', array: true, default: [100, 1000, 10_000], describe: 'node counts' })
    .option('fail', { type: 'number', array: true, default: [0, 0.2], describe: 'shares of nodes failing at once after the warm-up' })
    .option('mode', { type: 'string', array: true, choices: ['plumtree', 'flood'], default: ['plumtree', 'flood'] })
    .option('latency', { type: 'string', array: true, choices: ['lan', 'wan'], default: ['lan'], describe: 'per-hop latency: lan 1-5 ms, wan 20-80 ms' })
    .option('messages', { type: 'number', default: 20, describe: 'measured broadcasts per run (after 5 warm-up ones)' })
    .option('json', { type: 'boolean', default: false, describe: 'one JSON object per run, one per line' })
    .option('out', { type: 'string', describe: 'also write every run as a JSON array to FILE' })
    .example('$0 --nodes 10000 --fail 0.2', '10,000 nodes, a fifth of them failing at once')
    .epilog('Exit codes: 0 every live node got every message exactly once, 1 a run lost or duplicated a delivery, 2 bad usage.')
    .strict()
    .parseAsync()
    .catch((err: Error) => {
      process.stderr.write(`sim: ${err.message}\n`);
      return undefined;
    });
  if (!args) return 2;
  if (args.nodes.some((n) => !Number.isInteger(n) || n < 2 || n > 100_000)) {
    process.stderr.write('sim: --nodes must be whole numbers from 2 to 100000\n');
    return 2;
  }
  if (!args.json) process.stdout.write(`virtual time: each run simulates ${5 + args.messages} broadcasts 200 ms apart plus the failure detector's 2.25 s and 10 s to settle\n`);
  const rows = sweep(args.nodes, {
    failRatios: args.fail, modes: args.mode as SweepRow['mode'][], latencies: args.latency as SweepRow['latency'][], messages: args.messages,
  }, (row) => {
    process.stdout.write(args.json ? `${JSON.stringify(row)}\n` : `${textTable(SIM_HEADER, [simRow(row)]).split('\n')[2]}\n`);
  });
  if (!args.json) process.stdout.write(`\n${textTable(SIM_HEADER, rows.map(simRow))}\n`);
  if (args.out) writeFileSync(args.out, `${JSON.stringify(rows, null, 2)}\n`);
  return rows.every((r) => r.deliveryRatio === 1 && r.overDelivered === 0) ? 0 : 1;
}
