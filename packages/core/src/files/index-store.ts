import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../util/logger.js';
import { computeRoot, toHex } from './block-layout.js';
import { ShareIndexFormatError } from './errors.js';
import type { SharedFile } from './shared-file.js';

/** What the index file holds: the shares and every hashed file (keyed again by size, mtime and inode on load). */
export interface StoredIndex {
  /** Share directories. */
  shares: string[];
  /** Hashed files. */
  files: SharedFile[];
}

interface StoredFileJson { share: string; name: string; path: string; size: number; mtimeMs: number; ino: number; sha256: string; blockSize: number; hashes: string }

/** Reads the index file; a missing or damaged file is an empty index (everything gets hashed again). */
export async function loadIndex(file: string, logger: Logger): Promise<StoredIndex> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { shares: [], files: [] };
  }
  try {
    const raw = JSON.parse(text) as { version: number; shares: string[]; files: StoredFileJson[] };
    if (raw.version !== 1 || !Array.isArray(raw.shares) || !Array.isArray(raw.files)) throw new ShareIndexFormatError('unknown format');
    const files: SharedFile[] = [];
    for (const f of raw.files) {
      const hashes = new Uint8Array(Buffer.from(f.hashes, 'base64'));
      const root = computeRoot(f.size, f.blockSize, hashes);
      files.push({ ...f, sha256: new Uint8Array(Buffer.from(f.sha256, 'hex')), hashes, root, rootHex: toHex(root) });
    }
    return { shares: raw.shares.filter((s) => typeof s === 'string'), files };
  } catch (err) {
    logger.warn({ file, err: (err as Error).message }, 'file index unreadable: every shared file will be hashed again');
    return { shares: [], files: [] };
  }
}

/** Writes the index file atomically (temporary file, fsync, rename). */
export async function saveIndex(file: string, index: StoredIndex): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const json = JSON.stringify({
    version: 1,
    shares: index.shares,
    files: index.files.map((f) => ({
      share: f.share, name: f.name, path: f.path, size: f.size, mtimeMs: f.mtimeMs, ino: f.ino,
      sha256: toHex(f.sha256), blockSize: f.blockSize, hashes: Buffer.from(f.hashes).toString('base64'),
    })),
  });
  const tmp = `${file}.p2p-tmp`;
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(json);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, file);
}
