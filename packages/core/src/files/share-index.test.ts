import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../util/logger.js';
import { createFileHasher, type FileHasher } from './file-hasher.js';
import { createShareIndex } from './share-index.js';

/** A hasher that counts what it hashes. */
function countingHasher(): FileHasher & { hashed: string[] } {
  const inner = createFileHasher();
  const hashed: string[] = [];
  return { hashed, hash: (p) => { hashed.push(p); return inner.hash(p); }, close: () => inner.close() };
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('share index', () => {
  const dirs: string[] = [];
  afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

  it('does not hash unchanged files again after a restart, and follows changes through the watcher', async () => {
    const root = await mkdtemp(join(tmpdir(), 'p2p-index-'));
    dirs.push(root);
    const share = join(root, 'share');
    const indexFile = join(root, 'index.json');
    await import('node:fs/promises').then((fs) => fs.mkdir(share));
    await writeFile(join(share, 'a.txt'), 'alpha');
    await writeFile(join(share, 'b.txt'), 'bravo');
    const h1 = countingHasher();
    const first = createShareIndex({ indexFile, hasher: h1, logger: silentLogger, watch: false });
    await first.start([share]);
    expect(first.files().map((f) => f.name).sort()).toEqual(['a.txt', 'b.txt']);
    expect(h1.hashed).toHaveLength(2);
    await first.close();
    await h1.close();

    // A restart: the stored index is trusted for files whose size, mtime and inode did not change.
    await writeFile(join(share, 'b.txt'), 'bravo, changed');
    const h2 = countingHasher();
    const second = createShareIndex({ indexFile, hasher: h2, logger: silentLogger, rescanIntervalMs: 3_600_000 });
    await second.start([]);
    expect(second.shares()).toEqual([share]);
    expect(h2.hashed.map((p) => p.split('/').pop())).toEqual(['b.txt']);
    const rootA = second.files().find((f) => f.name === 'a.txt')!.rootHex;
    expect(second.byRoot(rootA)?.name).toBe('a.txt');

    // The watcher sees a new file and a removed one without waiting for the hourly rescan.
    await writeFile(join(share, 'c.txt'), 'charlie');
    await until(() => second.files().some((f) => f.name === 'c.txt'));
    await rm(join(share, 'a.txt'));
    await until(() => !second.files().some((f) => f.name === 'a.txt'));
    expect(second.byRoot(rootA)).toBeUndefined();
    expect(second.search('C.T', false, 10).map((f) => f.name)).toEqual(['c.txt']);
    await second.close();
    await h2.close();
  });
});
