import { randomInt } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { NodeNotStartedError } from '../errors.js';
import { silentLogger } from '../util/logger.js';
import type { Logger } from '../util/logger.js';
import { isHex32, toHex } from './block-layout.js';
import { createBlockServer, type BlockServer } from './block-server.js';
import { Download, type DownloadProgress } from './download.js';
import { FileNotFoundError } from './errors.js';
import { createFileHasher, type FileHasher } from './file-hasher.js';
import { PartFile, type FreeSpace, type PartSource } from './part-file.js';
import { uniqueDestination } from './destination.js';
import { createSearchEngine, type SearchEngine, type SearchOptions } from './search-engine.js';
import { createShareIndex, type ShareIndex } from './share-index.js';
import { DEFAULT_FILE_LIMITS, type FileLimits, type FileNode, type SearchHit } from './types.js';

/** What a file service needs. */
export interface FileServiceInit {
  /** A started node. */
  node: FileNode;
  /** Where the index and the download history live (`<dataDir>/files/`). */
  dataDir: string;
  /** Where downloads land; default `<dataDir>/downloads`. */
  downloadsDir?: string;
  /** Directories to share (besides those remembered in the index). */
  shares?: string[];
  /** Logger. */
  logger?: Logger;
  /** Bounds; every field defaults. */
  limits?: Partial<FileLimits>;
  /** Uniform random in [0, 1); Math.random-like by default. */
  random?: () => number;
  /** Free-space probe; fs.statfs by default. */
  freeSpace?: FreeSpace;
  /** Watch shares for changes; default true. */
  watch?: boolean;
  /** Milliseconds between full rescans; default 60000. */
  rescanIntervalMs?: number;
  /** Resume partial downloads found at start; default true. */
  autoResume?: boolean;
  /** Told of every block request this node serves (tests count them). */
  onBlockRequest?(peerId: string, rootHex: string, index: number, count: number): void;
}

/** What to download: a root, or a name to search for; optionally only from one holder. */
export interface DownloadRequest {
  /** Root (hex) or file name (exact). */
  target: string;
  /** Only holders with this peer ID (or prefix) or name. */
  from?: string;
  /** Answers already gathered (skips the search). */
  hits?: SearchHit[];
  /** Search window; default 2000 ms. */
  timeoutMs?: number;
  /** Directory to put the file in instead of the downloads directory (resumed after a restart only from there). */
  destDir?: string;
}

/** A shared file as listed. */
export interface SharedFileInfo {
  /** Share directory. */
  share: string;
  /** Name relative to it. */
  name: string;
  /** Size. */
  size: number;
  /** Root, hex. */
  root: string;
  /** Whole-file SHA-256, hex. */
  sha256: string;
}

/** File sharing on a node: shares, search, and verified, resumable, multi-source downloads. */
export interface FileService {
  /** Loads the index, scans the shares, hooks into the node and resumes partial downloads. */
  start(): Promise<void>;
  /** Pauses downloads (partial files kept), saves the index, stops the hasher. */
  stop(): Promise<void>;
  /** Shares a directory (ShareError when it is not one). */
  share(dir: string): Promise<void>;
  /** Stops sharing a directory. */
  unshare(dir: string): Promise<boolean>;
  /** Shared directories. */
  shares(): string[];
  /** Shared files. */
  files(): SharedFileInfo[];
  /** Asks the LAN and the mesh. */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** Starts (or joins) a download; FileNotFoundError when nobody has it. */
  download(req: DownloadRequest): Promise<Download>;
  /** Downloads in progress and finished (newest last). */
  downloads(): DownloadProgress[];
  /** Resumes a paused or failed download by root (or prefix). */
  resume(root: string): Promise<Download>;
  /** Cancels a download by root (or prefix) and deletes its partial file. */
  cancel(root: string): Promise<boolean>;
  /** Subscribes to progress of every download; returns the unsubscribe function. */
  onProgress(listener: (p: DownloadProgress) => void): () => void;
  /** The downloads directory. */
  readonly downloadsDir: string;
  /** Counters of the holder side and of search. */
  stats(): { served: number; bytesServed: number; refused: number; answered: number; forwarded: number; relayed: number; refusedSearches: number; rateLimited: number };
}

/** Creates the file service of a node. */
export function createFileService(init: FileServiceInit): FileService {
  const logger = init.logger ?? silentLogger;
  const limits: FileLimits = { ...DEFAULT_FILE_LIMITS, ...init.limits };
  const random = init.random ?? (() => randomInt(2 ** 30) / 2 ** 30);
  const filesDir = join(init.dataDir, 'files');
  const downloadsDir = resolve(init.downloadsDir ?? join(init.dataDir, 'downloads'));
  const historyFile = join(filesDir, 'downloads.json');
  const node = init.node;
  let hasher: FileHasher | undefined;
  let index!: ShareIndex;
  let server!: BlockServer;
  let search!: SearchEngine;
  const active = new Map<string, Download>();
  const byTransfer = new Map<string, Download>();
  const banned = new Map<string, Set<string>>();
  let history: DownloadProgress[] = [];
  const listeners = new Set<(p: DownloadProgress) => void>();
  const unhook: (() => void)[] = [];
  let started = false;
  // Calls before start() (or after stop()) fail with a typed error instead of touching half-built parts.
  const ready = (): void => { if (!started) throw new NodeNotStartedError(); };

  const emit = (p: DownloadProgress): void => { for (const l of listeners) l(p); };
  const saveHistory = async (): Promise<void> => {
    await writeFile(historyFile, JSON.stringify(history.slice(-100))).catch(() => undefined);
  };

  const track = (d: Download): Download => {
    active.set(d.root, d);
    byTransfer.set(d.id, d);
    void d.start().then(() => undefined, () => undefined).finally(() => {
      byTransfer.delete(d.id);
      if (active.get(d.root) === d && d.state !== 'paused') {
        active.delete(d.root);
        history = [...history.filter((h) => h.root !== d.root), d.progress()].slice(-100);
        void saveHistory();
      }
    });
    return d;
  };

  const newDownload = (dest: string, meta: ConstructorParameters<typeof Download>[0]['meta'], part?: PartFile): Download => {
    const b = banned.get(meta.root) ?? new Set<string>();
    banned.set(meta.root, b);
    return new Download({ node, dest, meta, part, banned: b, limits, logger, random, freeSpace: init.freeSpace, onProgress: emit });
  };

  const findRoot = (prefix: string): string | undefined => {
    const p = prefix.toLowerCase();
    const all = [...active.keys(), ...history.map((h) => h.root)];
    const m = [...new Set(all.filter((r) => r.startsWith(p)))];
    return m.length === 1 ? m[0] : undefined;
  };

  const resumeFromPart = async (dest: string): Promise<Download | undefined> => {
    const part = await PartFile.load(dest);
    if (!part) return undefined;
    if (active.has(part.meta.root)) { await part.close(); return active.get(part.meta.root); }
    const d = track(newDownload(dest, part.meta, part));
    // More holders may have appeared since: ask by root in the background.
    void search.search('', { root: part.meta.root, timeoutMs: 2000, onHit: (h) => d.addSource(toSource(h)) }).catch(() => undefined);
    return d;
  };

  const partDests = async (): Promise<string[]> => {
    const names = await readdir(downloadsDir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.part.json')).map((n) => join(downloadsDir, n.slice(0, -'.part.json'.length)));
  };

  return {
    downloadsDir,
    async start() {
      await mkdir(filesDir, { recursive: true });
      await mkdir(downloadsDir, { recursive: true });
      hasher = createFileHasher();
      index = createShareIndex({ indexFile: join(filesDir, 'index.json'), hasher, logger, watch: init.watch, rescanIntervalMs: init.rescanIntervalMs });
      await index.start(init.shares ?? []);
      server = createBlockServer({ node, index, limits, logger, onBlockRequest: init.onBlockRequest });
      search = createSearchEngine({ node, index, limits, logger });
      try {
        history = JSON.parse(await readFile(historyFile, 'utf8')) as DownloadProgress[];
        if (!Array.isArray(history)) history = [];
      } catch { history = []; }
      unhook.push(node.onEnvelope((from, env) => {
        if (search.handle(env, { peer: from }) || server.handle(from, env)) return true;
        const t = env.blockData?.transferId ?? env.hashList?.transferId ?? env.transferError?.transferId;
        if (!t) return false;
        byTransfer.get(toHex(t))?.onEnvelope(from, env);
        return true;
      }));
      unhook.push(node.onLanEnvelope((env, from) => search.handle(env, { lan: from })));
      unhook.push(node.on('peer:disconnect', ({ peerId }) => { for (const d of active.values()) d.lose(peerId); }));
      started = true;
      if (init.autoResume !== false) for (const dest of await partDests()) await resumeFromPart(dest);
    },
    async stop() {
      started = false;
      for (const u of unhook.splice(0)) u();
      await Promise.all([...active.values()].map((d) => d.pause()));
      await server?.close();
      await index?.close();
      await hasher?.close();
    },
    share: async (dir) => { ready(); await index.addShare(dir); },
    unshare: async (dir) => { ready(); return index.removeShare(dir); },
    shares: () => { ready(); return index.shares(); },
    files: () => { ready(); return index.files().map((f) => ({ share: f.share, name: f.name, size: f.size, root: f.rootHex, sha256: toHex(f.sha256) })); },
    search: async (q, o) => { ready(); return search.search(q, o); },
    async download(req) {
      ready();
      const byRoot = isHex32(req.target) ? req.target.toLowerCase() : undefined;
      let hits = req.hits ?? await search.search(byRoot ? '' : req.target, { exact: true, root: byRoot, timeoutMs: req.timeoutMs });
      if (byRoot) hits = hits.filter((h) => h.root === byRoot);
      if (req.from) {
        const f = req.from.toLowerCase();
        hits = hits.filter((h) => h.peerId.startsWith(f) || h.name.toLowerCase() === f);
      }
      if (hits.length === 0) throw new FileNotFoundError(req.target);
      const counts = new Map<string, number>();
      for (const h of hits) counts.set(h.root, (counts.get(h.root) ?? 0) + 1);
      const root = byRoot ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
      const mine = hits.filter((h) => h.root === root);
      const existing = active.get(root);
      if (existing) { for (const h of mine) existing.addSource(toSource(h)); return existing; }
      for (const dest of await partDests()) {
        const part = await PartFile.load(dest);
        if (part?.meta.root === root) {
          await part.close();
          const d = await resumeFromPart(dest);
          if (d) { for (const h of mine) d.addSource(toSource(h)); return d; }
        } else await part?.close();
      }
      const first = mine[0]!;
      const dir = req.destDir ? resolve(req.destDir) : downloadsDir;
      await mkdir(dir, { recursive: true });
      const dest = await uniqueDestination(dir, first.file);
      return track(newDownload(dest, {
        root, sha256: first.sha256, size: first.size, blockSize: first.blockSize, fileName: first.file,
        sources: mine.map(toSource), createdAtMs: Date.now(),
      }));
    },
    downloads: () => [...history.filter((h) => !active.has(h.root)), ...[...active.values()].map((d) => d.progress())],
    async resume(prefix) {
      ready();
      const root = findRoot(prefix) ?? prefix.toLowerCase();
      const a = active.get(root);
      if (a && a.state !== 'paused' && a.state !== 'failed') return a;
      if (a) active.delete(root);
      for (const dest of await partDests()) {
        const part = await PartFile.load(dest);
        const r = part?.meta.root;
        await part?.close();
        if (r === root) {
          const d = await resumeFromPart(dest);
          if (d) return d;
        }
      }
      throw new FileNotFoundError(`no partial download ${prefix}`);
    },
    async cancel(prefix) {
      ready();
      const root = findRoot(prefix) ?? prefix.toLowerCase();
      const d = active.get(root);
      if (d) { await d.cancel(); return true; }
      for (const dest of await partDests()) {
        const part = await PartFile.load(dest);
        if (part?.meta.root === root) { await part.discard(); return true; }
        await part?.close();
      }
      return false;
    },
    onProgress(l) { listeners.add(l); return () => { listeners.delete(l); }; },
    stats: () => { ready(); return { ...server.stats(), ...search.stats() }; },
  };
}

function toSource(h: SearchHit): PartSource {
  return { peerId: h.peerId, name: h.name, host: h.host, port: h.port };
}
