import { access } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { sanitizeDownloadName } from './path-safety.js';
import { baseName } from './shared-file.js';
import { PartFile } from './part-file.js';

const exists = (p: string): Promise<boolean> => access(p).then(() => true, () => false);

/**
 * A path in the downloads directory for a name a holder announced: sanitised to one safe segment, and made unique
 * (`name (1).ext`) when the file or a partial download of that name already exists.
 */
export async function uniqueDestination(dir: string, announced: string): Promise<string> {
  const safe = sanitizeDownloadName(baseName(announced));
  const ext = extname(safe);
  const stem = ext ? safe.slice(0, -ext.length) : safe;
  for (let n = 0; n < 1000; n++) {
    const candidate = join(dir, n === 0 ? safe : `${stem} (${n})${ext}`);
    if (!(await exists(candidate)) && !(await exists(PartFile.partPath(candidate))) && !(await exists(PartFile.sidecarPath(candidate)))) return candidate;
  }
  return join(dir, `${stem}-${Date.now()}${ext}`);
}
