/** Where the built p2pd entry point is: the daemon package's dist/bin/p2pd.js. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabDaemonError } from '../errors.js';

/** Absolute path of packages/daemon/dist/bin/p2pd.js; throws when the daemon is not built. */
export function p2pdPath(): string {
  const entry = fileURLToPath(import.meta.resolve('@p2p/daemon'));
  const bin = join(dirname(entry), 'bin', 'p2pd.js');
  if (!existsSync(bin)) throw new LabDaemonError(`p2pd is not built (${bin} is missing): run \`npm run build\``);
  return bin;
}
