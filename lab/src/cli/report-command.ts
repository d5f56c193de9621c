/** `node lab/dist/bin/report.js`: rewrites bench/REPORT.md from the result files already in bench/results. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeReport } from '../report/write-report.js';

/** Regenerates the report without measuring anything. */
export function reportMain(): number {
  const bench = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bench');
  writeReport(join(bench, 'results'), bench, { started: new Date(), seconds: 0 });
  process.stdout.write('wrote bench/REPORT.md\n');
  return 0;
}
