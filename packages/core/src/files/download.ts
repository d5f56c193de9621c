import { createHash, randomBytes } from 'node:crypto';
import type { p2p } from '../codec/wire.js';
import type { Logger } from '../util/logger.js';
import { blockCount, blockLength, toHex } from './block-layout.js';
import { BlockPicker, type BlockRun } from './block-picker.js';
import { dirname } from 'node:path';
import { P2PError } from '../errors.js';
import { BadBlockError, InsufficientSpaceError, TransferCancelledError, TransferFailedError } from './errors.js';
import { fetchHashList } from './hash-list-fetch.js';
import { InOrderHash } from './in-order-hash.js';
import { receivedFrames } from '../framing/frame-pool.js';
import { RequestWindow } from './request-window.js';
import { PartFile, statfsFreeSpace, type FreeSpace, type PartMeta, type PartSource } from './part-file.js';
import type { FileLimits, FileNode } from './types.js';

/** Where a download stands. */
export type DownloadState = 'starting' | 'running' | 'stalled' | 'paused' | 'done' | 'failed' | 'cancelled';

/** A snapshot of a download, for progress and listings. */
export interface DownloadProgress {
  /** Root, hex (also the download's ID). */
  root: string;
  /** Final path. */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Whole-file SHA-256 the file must have (and has, once done), hex. */
  sha256: string;
  /** Verified bytes on disk. */
  bytes: number;
  /** State. */
  state: DownloadState;
  /** Sources delivering now. */
  activeSources: number;
  /** Peer IDs that delivered at least one verified block. */
  sources: string[];
  /** Why it failed, when it did. */
  error?: string;
}

/** What a download needs. */
export interface DownloadInit {
  node: FileNode;
  /** Final path (already sanitised and unique). */
  dest: string;
  /** The file: identity and known holders. */
  meta: PartMeta;
  /** A partial file to resume, if any. */
  part?: PartFile;
  /** Holders banned for this root (bad block or hash list); shared across restarts of the download. */
  banned: Set<string>;
  limits: FileLimits;
  logger: Logger;
  /** Uniform random in [0, 1). */
  random: () => number;
  freeSpace?: FreeSpace;
  /** Progress reports (throttled by the caller). */
  onProgress?(p: DownloadProgress): void;
}

interface Pending { run: BlockRun; bytes: number; sentAt: number }
interface Source extends PartSource {
  state: 'idle' | 'active' | 'lost' | 'banned'; inFlight: number; pending: Map<number, Pending>; timeouts: number; busyUntil: number; delivered: boolean;
  /** Bytes this source may have requested and unanswered: sized by the queueing delay its answers show. */
  window: RequestWindow;
}

/**
 * One download: hash list from a holder (checked against the root), then blocks from every holder at once
 * through a BlockPicker, each block checked against its hash before it is written to the part file.
 */
export class Download {
  /** Current state. */
  state: DownloadState = 'starting';
  /** Why it failed. */
  error: Error | undefined;
  private readonly transferId = randomBytes(16);
  private readonly sources = new Map<string, Source>();
  private part: PartFile | undefined;
  private picker: BlockPicker | undefined;
  private wholeHash: InOrderHash | undefined;
  // Users of each received frame's buffer (the session assembles large frames in receivedFrames' buffers): it goes
  // back to the pool once every block in it is hashed and written.
  private readonly frameUsers = new Map<ArrayBufferLike, number>();
  private bytes = 0;
  private readonly writing = new Set<number>();
  private waiters = new Map<string, (env: p2p.v1.IEnvelope | undefined) => void>();
  private settle!: { resolve: (path: string) => void; reject: (e: Error) => void };
  private flushTimer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private stallTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Resolves with the final path once the file is complete and verified. */
  readonly done: Promise<string>;

  constructor(private readonly init: DownloadInit) {
    this.part = init.part;
    for (const s of init.meta.sources) this.addSource(s);
    this.done = new Promise((resolve, reject) => { this.settle = { resolve, reject }; });
    this.done.catch(() => undefined);
  }

  /** The root, hex. */
  get root(): string { return this.init.meta.root; }
  /** The whole-file SHA-256 the file must have, hex. */
  get sha256(): string { return this.init.meta.sha256; }
  /** The transfer ID, hex (routes answers to this download). */
  get id(): string { return toHex(this.transferId); }

  /** Adds a holder (a new search answer); banned holders are ignored. */
  addSource(s: PartSource): void {
    if (this.init.banned.has(s.peerId) || this.sources.has(s.peerId) || s.peerId === this.init.node.peerId) return;
    const { requestBytes, inFlightBytesPerSource, queueDelayTargetMs } = this.init.limits;
    const window = new RequestWindow({
      requestBytes: Math.max(requestBytes, this.init.meta.blockSize), maxBytes: inFlightBytesPerSource, targetDelayMs: queueDelayTargetMs,
    });
    this.sources.set(s.peerId, { ...s, state: 'idle', inFlight: 0, pending: new Map(), timeouts: 0, busyUntil: 0, delivered: false, window });
    if (!this.init.meta.sources.some((x) => x.peerId === s.peerId)) this.init.meta.sources.push(s);
    if (this.state === 'running' || this.state === 'stalled') void this.activate(this.sources.get(s.peerId)!);
  }

  /** A snapshot. */
  progress(): DownloadProgress {
    return {
      root: this.root, path: this.init.dest, size: this.init.meta.size, sha256: this.init.meta.sha256, bytes: this.bytes, state: this.state,
      activeSources: [...this.sources.values()].filter((s) => s.state === 'active').length,
      sources: [...this.sources.values()].filter((s) => s.delivered).map((s) => s.peerId),
      ...(this.error ? { error: this.error.message } : {}),
    };
  }

  /** Runs the download to the end; the result is also in `done`. */
  async start(): Promise<string> {
    try {
      await this.prepare();
      this.state = 'running';
      this.flushTimer = setInterval(() => { void this.part?.flush().catch((e) => this.fail(e)); }, 250);
      this.flushTimer.unref?.();
      // One sweep for every request's timeout, not a timer each: hundreds of requests a second would otherwise make
      // as many timers, each living long enough to reach the old generation.
      const every = Math.max(10, Math.min(1000, this.init.limits.requestTimeoutMs / 4));
      this.sweepTimer = setInterval(() => this.sweep(), every);
      this.sweepTimer.unref?.();
      this.report();
      if (this.picker!.complete) await this.complete();
      else for (const s of this.sources.values()) void this.activate(s);
    } catch (err) {
      this.fail(err as Error);
    }
    return this.done;
  }

  private async prepare(): Promise<void> {
    const m = this.init.meta;
    if (!this.part) {
      // Room first: the block-hash list of an announced size is allocated before PartFile.create checks it.
      const free = await (this.init.freeSpace ?? statfsFreeSpace)(dirname(this.init.dest));
      if (free < m.size) throw new InsufficientSpaceError(m.size, free);
      const hashes = await this.hashList();
      this.part = await PartFile.create(this.init.dest, m, hashes, this.init.freeSpace);
    } else {
      const free = await (this.init.freeSpace ?? statfsFreeSpace)(dirname(this.init.dest));
      const missing = m.size - this.part.verifiedBlocks().reduce((a, i) => a + blockLength(m.size, m.blockSize, i), 0);
      if (free < missing) throw new InsufficientSpaceError(missing, free);
    }
    const verified = this.part.verifiedBlocks();
    this.bytes = verified.reduce((a, i) => a + blockLength(m.size, m.blockSize, i), 0);
    this.picker = new BlockPicker({
      blocks: blockCount(m.size, m.blockSize), verified, random: this.init.random, sequential: true,
      maxRun: Math.max(1, Math.floor(this.init.limits.requestBytes / m.blockSize)),
    });
    const part = this.part;
    const readBuf = Buffer.allocUnsafe(m.blockSize);
    this.wholeHash = new InOrderHash({
      blocks: blockCount(m.size, m.blockSize), isWritten: (i) => part.isVerified(i), read: (i) => part.readBlock(i, readBuf),
      release: (d) => this.letGo(d),
    });
    this.wholeHash.start();
  }

  // Tries holders one after another until one gives a list matching the root.
  private async hashList(): Promise<Uint8Array> {
    const m = this.init.meta;
    for (const s of this.sources.values()) {
      if (s.state === 'banned' || this.state === 'cancelled') continue;
      try {
        await this.connect(s);
        return await fetchHashList(s.peerId, this.transferId, m, {
          send: (req) => this.init.node.sendEnvelope(s.peerId, { hashListRequest: req }),
          next: (ms) => new Promise((resolve) => {
            const t = setTimeout(() => { this.waiters.delete(s.peerId); resolve(undefined); }, ms);
            this.waiters.set(s.peerId, (env) => { clearTimeout(t); this.waiters.delete(s.peerId); resolve(env); });
          }),
        });
      } catch (err) {
        if (err instanceof P2PError && err.code === 'ERR_HASH_LIST_MISMATCH') this.ban(s, err as Error);
        this.init.logger.debug({ peer: s.peerId, err: (err as Error).message }, 'no hash list from holder');
      }
    }
    throw new TransferFailedError('no holder gave a block-hash list matching the root');
  }

  private async connect(s: Source): Promise<void> {
    await this.init.node.connect({ host: s.host, port: s.port }, s.peerId);
  }

  private async activate(s: Source): Promise<void> {
    if (s.state !== 'idle' && s.state !== 'lost') return;
    try {
      await this.connect(s);
    } catch (err) {
      s.state = 'lost';
      this.init.logger.debug({ peer: s.peerId, err: (err as Error).message }, 'cannot reach holder');
      this.checkStall();
      return;
    }
    if (this.state !== 'running' && this.state !== 'stalled') return;
    if ((s.state as Source['state']) === 'banned') return;
    s.state = 'active';
    s.timeouts = 0;
    if (this.state === 'stalled') this.unstall();
    this.pump(s);
  }

  private pump(s: Source): void {
    const p = this.picker!;
    const m = this.init.meta;
    while (s.state === 'active' && this.state === 'running' && Date.now() >= s.busyUntil) {
      // One request beyond the window is allowed so a source is never idle with a block bigger than the window.
      if (s.inFlight >= s.window.bytes) return;
      const run = p.pick(s.peerId);
      if (!run) return;
      let bytes = 0;
      for (let i = run.index; i < run.index + run.count; i++) bytes += blockLength(m.size, m.blockSize, i);
      const ok = this.init.node.sendEnvelope(s.peerId, {
        blockRequest: { transferId: this.transferId, root: Buffer.from(m.root, 'hex'), index: run.index, count: run.count, blockSize: m.blockSize },
      });
      if (!ok) {
        p.release(s.peerId, run);
        this.lose(s);
        return;
      }
      s.pending.set(run.index, { run, bytes, sentAt: performance.now() });
      s.inFlight += bytes;
    }
  }

  // Requests are sent in order, so each source's oldest are first in its map.
  private sweep(): void {
    const before = performance.now() - this.init.limits.requestTimeoutMs;
    for (const s of this.sources.values()) {
      for (const [index, req] of s.pending) {
        if (req.sentAt > before) break;
        this.timeout(s, index);
      }
    }
  }

  private timeout(s: Source, index: number): void {
    const req = s.pending.get(index);
    if (!req) return;
    this.finishRequest(s, index);
    this.picker!.release(s.peerId, req.run);
    s.window.lost();
    if (++s.timeouts >= 2) this.lose(s);
    this.pumpAll();
  }

  private finishRequest(s: Source, index: number): Pending | undefined {
    const req = s.pending.get(index);
    if (!req) return undefined;
    s.pending.delete(index);
    s.inFlight -= req.bytes;
    return req;
  }

  /** Takes an answer of a holder for this transfer. */
  onEnvelope(from: string, env: p2p.v1.IEnvelope): void {
    const w = this.waiters.get(from);
    if (w && (env.hashList || env.transferError)) { w(env); return; }
    const s = this.sources.get(from);
    if (!s || s.state !== 'active') return;
    if (env.blockData) void this.onBlock(s, env.blockData);
    else if (env.transferError) this.onError(s, env.transferError);
  }

  private onError(s: Source, e: p2p.v1.ITransferError): void {
    const req = this.finishRequest(s, e.index ?? 0);
    if (req) this.picker!.release(s.peerId, req.run);
    if (e.code === 4 /* BUSY */) {
      s.window.lost();
      s.busyUntil = Date.now() + 200;
      setTimeout(() => this.pump(s), 210).unref?.();
    } else {
      this.drop(s, new TransferFailedError(`${s.peerId}: ${e.detail ?? 'refused'}`));
    }
    this.pumpAll();
  }

  private async onBlock(s: Source, bd: p2p.v1.IBlockData): Promise<void> {
    const req = this.finishRequest(s, bd.index ?? 0);
    if (!req) return;
    const now = performance.now();
    s.window.delivered(req.bytes, now - req.sentAt, now);
    const m = this.init.meta;
    const data = bd.data ?? new Uint8Array();
    if (data.length !== req.bytes) {
      this.picker!.release(s.peerId, req.run);
      this.ban(s, new BadBlockError(s.peerId, req.run.index));
      return;
    }
    this.hold(data);
    const writes: Promise<void>[] = [];
    // Consecutive good blocks go to disk in one write; a block already verified (a late endgame copy) or being
    // written splits the run; a bad block ends it and drops the source.
    let runStart = -1;
    let runOff = 0;
    let runLen = 0;
    const flushRun = (): void => {
      if (runStart < 0) return;
      const first = runStart;
      const count = runLen;
      const bytes = data.subarray(runOff, off);
      for (let i = first; i < first + count; i++) this.writing.add(i);
      this.hold(bytes);
      writes.push(this.part!.writeRun(first, count, bytes).finally(() => this.letGo(bytes)).then(() => {
        for (let i = first; i < first + count; i++) {
          this.writing.delete(i);
          if (!this.picker!.verifiedBlock(i)) continue;
          const len = blockLength(m.size, m.blockSize, i);
          this.bytes += len;
          s.delivered = true;
          this.wholeHash!.written(i);
        }
      }));
      runStart = -1;
    };
    let off = 0;
    for (let i = req.run.index; i < req.run.index + req.run.count; i++) {
      const len = blockLength(m.size, m.blockSize, i);
      const block = data.subarray(off, off + len);
      if (this.picker!.isVerified(i) || this.writing.has(i)) { flushRun(); off += len; continue; }
      const hash = createHash('sha256').update(block).digest();
      if (!hash.equals(this.part!.blockHash(i))) {
        flushRun();
        this.picker!.release(s.peerId, { index: i, count: req.run.index + req.run.count - i });
        this.ban(s, new BadBlockError(s.peerId, i));
        break;
      }
      this.hold(block);
      this.wholeHash!.verified(i, block);
      if (runStart < 0) { runStart = i; runOff = off; runLen = 0; }
      runLen++;
      off += len;
    }
    flushRun();
    this.letGo(data);
    this.pump(s);
    try {
      await Promise.all(writes);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.report();
    if (this.picker!.complete && this.state === 'running') await this.complete();
    else this.pumpAll();
  }

  private hold(d: Uint8Array): void {
    this.frameUsers.set(d.buffer, (this.frameUsers.get(d.buffer) ?? 0) + 1);
  }

  // The pool takes back only its own buffers, so a block that came in a frame of another kind is just dropped here.
  private letGo(d: Uint8Array): void {
    const n = (this.frameUsers.get(d.buffer) ?? 1) - 1;
    if (n > 0) { this.frameUsers.set(d.buffer, n); return; }
    this.frameUsers.delete(d.buffer);
    receivedFrames.give(d);
  }

  private pumpAll(): void {
    for (const s of this.sources.values()) if (s.state === 'active') this.pump(s);
    this.checkStall();
  }

  private releaseAll(s: Source): void {
    for (const index of [...s.pending.keys()]) {
      const req = this.finishRequest(s, index)!;
      this.picker?.release(s.peerId, req.run);
    }
  }

  private ban(s: Source, err: Error): void {
    this.init.logger.warn({ peer: s.peerId, root: this.root, err: err.message }, 'holder dropped for this file');
    this.init.banned.add(s.peerId);
    this.drop(s, err, 'banned');
  }

  private drop(s: Source, err: Error, state: Source['state'] = 'banned'): void {
    this.releaseAll(s);
    s.state = state;
    this.init.logger.debug({ peer: s.peerId, err: err.message }, 'holder dropped');
    this.pumpAll();
  }

  /** A holder's session ended: its blocks go to the others; it is asked again only if no holder is left. */
  lose(s: Source | string): void {
    const src = typeof s === 'string' ? this.sources.get(s) : s;
    if (!src || src.state !== 'active') return;
    this.releaseAll(src);
    src.state = 'lost';
    this.pumpAll();
  }

  private checkStall(): void {
    if (this.state !== 'running') return;
    if ([...this.sources.values()].some((s) => s.state === 'active')) return;
    this.state = 'stalled';
    this.report();
    this.stallTimer = setTimeout(() => this.fail(new TransferFailedError('every holder is gone (the partial file is kept: resume later)')), this.init.limits.stallTimeoutMs);
    this.stallTimer.unref?.();
    const retry = (): void => {
      if (this.state !== 'stalled') return;
      for (const s of this.sources.values()) if (s.state === 'lost' || s.state === 'idle') void this.activate(s);
      this.reconnectTimer = setTimeout(retry, 1000);
      this.reconnectTimer.unref?.();
    };
    retry();
  }

  private unstall(): void {
    clearTimeout(this.stallTimer);
    clearTimeout(this.reconnectTimer);
    this.state = 'running';
    this.report();
  }

  private async complete(): Promise<void> {
    this.state = 'done';
    this.stopTimers();
    try {
      const path = await this.part!.finish(await this.wholeHash?.digest());
      this.report();
      this.settle.resolve(path);
    } catch (err) {
      this.state = 'running';
      this.fail(err as Error);
    }
  }

  private fail(error: Error): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled' || this.state === 'paused') return;
    // A full disk is reported as such, whichever write hit it first (a block, the fsync, the sidecar).
    const err = (error as NodeJS.ErrnoException).code === 'ENOSPC' ? new InsufficientSpaceError(this.init.meta.size - this.bytes, 0) : error;
    this.state = 'failed';
    this.error = err;
    this.stopAll();
    this.report();
    // `done` rejects once the partial file and its sidecar are closed: what is on disk then is what stays.
    void (this.part?.close() ?? Promise.resolve()).catch(() => undefined).finally(() => this.settle.reject(err));
  }

  /** Stops and keeps the partial file (daemon shutdown); `done` rejects. */
  async pause(): Promise<void> {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'cancelled') return;
    this.state = 'paused';
    this.stopAll();
    await this.part?.close().catch(() => undefined);
    this.settle.reject(new TransferFailedError('paused'));
  }

  /** Stops and deletes the partial file; `done` rejects with TransferCancelledError. */
  async cancel(): Promise<void> {
    if (this.state === 'done') return;
    this.state = 'cancelled';
    this.stopAll();
    await this.part?.discard().catch(() => undefined);
    this.report();
    this.settle.reject(new TransferCancelledError());
  }

  private stopAll(): void {
    this.stopTimers();
    for (const s of this.sources.values()) this.releaseAll(s);
    for (const w of this.waiters.values()) w(undefined);
  }

  private stopTimers(): void {
    clearInterval(this.flushTimer);
    clearInterval(this.sweepTimer);
    clearTimeout(this.stallTimer);
    clearTimeout(this.reconnectTimer);
  }

  private report(): void {
    this.init.onProgress?.(this.progress());
  }
}
