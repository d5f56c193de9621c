/** `npm run soak -- --minutes N [--daemons D] [--json] [--out FILE]`: daemons under steady traffic, memory sampled. */
import { writeFileSync } from 'node:fs';
import yargs from 'yargs';
import { labSupport } from '../netns/privileges.js';
import { runSoak, type SoakResult } from '../soak/soak.js';
import { textTable } from './format-table.js';

const MiB = 1048576;
const perHour = (perMinute: number) => `${((perMinute * 60) / MiB).toFixed(2)}`;

/** The soak's summary for a human. */
export function formatSoak(r: SoakResult): string {
  const rows = r.daemons.map((d) => {
    const first = d.samples[0]!;
    const last = d.samples.at(-1)!;
    return [
      `h${d.host}`, (first.rssBytes / MiB).toFixed(1), (last.rssBytes / MiB).toFixed(1), perHour(d.rss.perMinute), `${perHour(d.rss.low)}..${perHour(d.rss.high)}`,
      (first.heapUsedBytes / MiB).toFixed(1), (last.heapUsedBytes / MiB).toFixed(1), perHour(d.heap.perMinute), `${perHour(d.heap.low)}..${perHour(d.heap.high)}`,
      d.growing ? 'GROWING' : 'flat',
    ];
  });
  return [
    `soak: ${r.minutes} min, ${r.daemons.length} daemons: ${r.passed ? 'PASS' : 'FAIL'}`,
    `messages: ${r.messages.sent} sent, ${r.messages.delivered}/${r.messages.expected} deliveries, ${r.messages.duplicates} duplicates; left behind: ${r.leftovers}`,
    `growth fitted over the second half (MiB/hour, 95% interval); fails when the low end exceeds ${perHour(r.maxGrowthPerMinute)} MiB/hour`,
    ...(r.minutes < 10 ? ['(under 10 minutes the second half is still warm-up for caches and pools: read the verdict as indicative)'] : []),
    textTable(['daemon', 'RSS start', 'RSS end', 'RSS slope', 'interval', 'heap start', 'heap end', 'heap slope', 'interval', 'verdict'], rows),
  ].join('\n');
}

/** Parses argv and runs; resolves with the exit code. */
export async function soakMain(argv: string[]): Promise<number> {
  const args = await yargs(argv)
    .scriptName('npm run soak --')
    .usage('$0 --minutes N [--daemons D] [--json]\n\nRuns D daemons in a lab under steady traffic and fails if their memory keeps growing.')
    .option('minutes', { type: 'number', demandOption: true, describe: 'how long to run' })
    .option('daemons', { type: 'number', default: 4 })
    .option('max-growth', { type: 'number', default: 64, describe: 'allowed growth in KiB per minute (RSS and heap)' })
    .option('json', { type: 'boolean', default: false, describe: 'print the result (with every sample) as one JSON object' })
    .option('out', { type: 'string', describe: 'also write the JSON result to FILE (the report reads it)' })
    .example('$0 --minutes 30', 'half an hour, 4 daemons')
    .epilog('Exit codes: 0 memory flat and every message delivered once, 1 memory keeps growing or a message was lost, 2 bad usage, 3 not root.')
    .strict()
    .parseAsync()
    .catch((err: Error) => {
      process.stderr.write(`soak: ${err.message}\n`);
      return undefined;
    });
  if (!args) return 2;
  if (!(args.minutes > 0) || !(args.daemons >= 2)) {
    process.stderr.write('soak: --minutes must be positive and --daemons at least 2\n');
    return 2;
  }
  const support = labSupport();
  if (!support.ok) {
    process.stderr.write(`soak: cannot build a lab here: ${support.reason}\n`);
    return 3;
  }
  const result = await runSoak({
    minutes: args.minutes, daemons: args.daemons, maxGrowthPerMinute: args['max-growth'] * 1024,
    progress: args.json ? undefined : (line) => process.stderr.write(`${line}\n`),
  });
  if (args.out) writeFileSync(args.out, `${JSON.stringify(result)}\n`);
  process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : `${formatSoak(result)}\n`);
  return result.passed ? 0 : 1;
}
