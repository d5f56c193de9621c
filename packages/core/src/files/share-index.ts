import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { Logger } from '../util/logger.js';
import { toHex } from './block-layout.js';
import { ShareError } from './errors.js';
import type { FileHasher } from './file-hasher.js';
import { loadIndex, saveIndex } from './index-store.js';
import { walkShare } from './share-walker.js';
import { matchesQuery, type SharedFile } from './shared-file.js';

/** What the index needs. */
export interface ShareIndexInit {
  /** Where the index is kept (a JSON file in the data directory); none: in memory only. */
  indexFile?: string;
  /** Hashes files off the main thread. */
  hasher: FileHasher;
  /** Logger. */
  logger: Logger;
  /** Milliseconds between full rescans (the watcher catches most changes sooner); default 60000. */
  rescanIntervalMs?: number;
  /** Watch the shares for changes; default true. */
  watch?: boolean;
  /** Most files indexed over all shares; default 100000. */
  maxFiles?: number;
}

/** The files this node shares, kept up to date. */
export interface ShareIndex {
  /** Loads the stored index and scans the shares it lists plus `shares`. */
  start(shares: string[]): Promise<void>;
  /** Shares a directory (scanned before this resolves); ShareError if it is not a readable directory. */
  addShare(dir: string): Promise<void>;
  /** Stops sharing a directory; false if it was not shared. */
  removeShare(dir: string): Promise<boolean>;
  /** Shared directories. */
  shares(): string[];
  /** Every shared file. */
  files(): SharedFile[];
  /** The shared file with this root (hex). */
  byRoot(rootHex: string): SharedFile | undefined;
  /** The shared file with this whole-file SHA-256 (hex). */
  bySha256(shaHex: string): SharedFile | undefined;
  /** Files matching a query, at most `limit`. */
  search(query: string, exact: boolean, limit: number): SharedFile[];
  /** Walks every share again, hashing new and changed files. */
  rescan(): Promise<void>;
  /** Stops the watcher and the timer and saves. */
  close(): Promise<void>;
}

/** An index that hashes in a worker, persists by (size, mtime, inode), watches the shares and rescans periodically. */
export function createShareIndex(init: ShareIndexInit): ShareIndex {
  const logger = init.logger;
  const maxFiles = init.maxFiles ?? 100_000;
  let shareList: string[] = [];
  // share + '\0' + name -> file
  let byKey = new Map<string, SharedFile>();
  let rootMap = new Map<string, SharedFile>();
  let shaMap = new Map<string, SharedFile>();
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  let debounce: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const rebuildMaps = (): void => {
    rootMap = new Map();
    shaMap = new Map();
    for (const f of byKey.values()) {
      if (!rootMap.has(f.rootHex)) rootMap.set(f.rootHex, f);
      const sha = toHex(f.sha256);
      if (!shaMap.has(sha)) shaMap.set(sha, f);
    }
  };

  const save = async (): Promise<void> => {
    if (!init.indexFile) return;
    try {
      await saveIndex(init.indexFile, { shares: shareList, files: [...byKey.values()] });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'cannot save the file index');
    }
  };

  const scanOnce = async (): Promise<void> => {
    const next = new Map<string, SharedFile>();
    let hashed = 0;
    for (const share of shareList) {
      if (closed) return;
      let walked;
      try {
        walked = await walkShare(share, { maxFiles: maxFiles - next.size, maxDepth: 64 },
          (path, reason) => logger.debug({ path, reason }, 'not shared'));
      } catch (err) {
        logger.warn({ share, err: (err as Error).message }, 'cannot read share');
        continue;
      }
      for (const w of walked) {
        const key = `${share}\0${w.name}`;
        const old = byKey.get(key);
        if (old && old.size === w.size && old.mtimeMs === w.mtimeMs && old.ino === w.ino) {
          next.set(key, { ...old, path: w.path });
          continue;
        }
        try {
          const d = await init.hasher.hash(w.path);
          if (closed) return;
          hashed++;
          // The stat before hashing names the version hashed; a file changed since is caught by the next scan.
          next.set(key, { share, name: w.name, path: w.path, mtimeMs: w.mtimeMs, ino: w.ino, ...d, rootHex: toHex(d.root) });
        } catch (err) {
          logger.debug({ path: w.path, err: (err as Error).message }, 'cannot hash');
        }
      }
    }
    const changed = hashed > 0 || next.size !== byKey.size;
    byKey = next;
    rebuildMaps();
    if (changed) await save();
  };

  const rescan = (): Promise<void> => {
    if (scanning) { again = true; return scanning; }
    scanning = (async () => {
      try {
        do { again = false; await scanOnce(); } while (again && !closed);
      } finally {
        scanning = undefined;
      }
    })();
    return scanning;
  };

  const schedule = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { void rescan(); }, 300);
    debounce.unref?.();
  };

  const watchShares = (): void => {
    if (init.watch === false || closed) return;
    void watcher?.close();
    if (shareList.length === 0) { watcher = undefined; return; }
    watcher = watch(shareList, { ignoreInitial: true, followSymlinks: false, depth: 64 });
    watcher.on('all', schedule);
    watcher.on('error', (err) => logger.debug({ err: String(err) }, 'share watcher error'));
  };

  const checkDir = async (dir: string): Promise<string> => {
    const abs = resolve(dir);
    try {
      if (!(await stat(abs)).isDirectory()) throw new ShareError(abs, 'not a directory');
    } catch (err) {
      if (err instanceof ShareError) throw err;
      throw new ShareError(abs, (err as Error).message);
    }
    return abs;
  };

  return {
    async start(shares) {
      const stored = init.indexFile ? await loadIndex(init.indexFile, logger) : { shares: [], files: [] };
      for (const f of stored.files) byKey.set(`${f.share}\0${f.name}`, f);
      rebuildMaps();
      const all = new Set<string>();
      for (const s of [...stored.shares, ...shares]) {
        try {
          all.add(await checkDir(s));
        } catch (err) {
          if (shares.includes(s)) throw err;
          logger.warn({ share: s, err: (err as Error).message }, 'stored share unusable, skipped');
        }
      }
      shareList = [...all];
      await rescan();
      watchShares();
      timer = setInterval(() => { void rescan(); }, init.rescanIntervalMs ?? 60_000);
      timer.unref?.();
    },
    async addShare(dir) {
      const abs = await checkDir(dir);
      if (!shareList.includes(abs)) {
        shareList = [...shareList, abs];
        watchShares();
      }
      await rescan();
    },
    async removeShare(dir) {
      const abs = resolve(dir);
      if (!shareList.includes(abs)) return false;
      shareList = shareList.filter((s) => s !== abs);
      watchShares();
      await rescan();
      return true;
    },
    shares: () => [...shareList],
    files: () => [...byKey.values()],
    byRoot: (h) => rootMap.get(h.toLowerCase()),
    bySha256: (h) => shaMap.get(h.toLowerCase()),
    search(query, exact, limit) {
      const out: SharedFile[] = [];
      for (const f of byKey.values()) {
        if (out.length >= limit) break;
        if (matchesQuery(f, query, exact)) out.push(f);
      }
      return out;
    },
    rescan,
    async close() {
      closed = true;
      clearInterval(timer);
      clearTimeout(debounce);
      await watcher?.close();
      await scanning?.catch(() => undefined);
      await save();
    },
  };
}
