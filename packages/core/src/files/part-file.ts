import { createHash } from 'node:crypto';
import { open, readFile, rename, rm, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { blockCount, blockLength, computeRoot, toHex } from './block-layout.js';
import { BlockLengthError, FileHashMismatchError, InsufficientSpaceError } from './errors.js';

/** A holder remembered by a partial download, to ask again on resume. */
export interface PartSource {
  /** Peer ID. */
  peerId: string;
  /** Holder's name. */
  name: string;
  /** Where it accepts sessions. */
  host: string;
  /** Port. */
  port: number;
}

/** What a partial download remembers about its file (the sidecar, next to `name.part`). */
export interface PartMeta {
  /** Root, hex. */
  root: string;
  /** Whole-file SHA-256, hex. */
  sha256: string;
  /** Size in bytes. */
  size: number;
  /** Block size. */
  blockSize: number;
  /** The name the holder announced (before sanitising). */
  fileName: string;
  /** Holders known. */
  sources: PartSource[];
  /** When the download started, ms. */
  createdAtMs: number;
}

/** Free bytes for an unprivileged writer on the file system holding `dir`. */
export type FreeSpace = (dir: string) => Promise<number>;

/** fs.statfs: blocks available to unprivileged users times the block size. */
export const statfsFreeSpace: FreeSpace = async (dir) => {
  const s = await statfs(dir);
  return Number(s.bavail) * Number(s.bsize);
};

/**
 * A download in progress: the data in `dest.part` and, beside it, a sidecar `dest.part.json` with the file's
 * identity, its block-hash list and a bitmap of verified blocks. The sidecar is only rewritten after the part file
 * is fsync'd, so every block it marks is on disk; the final rename is atomic.
 */
export class PartFile {
  private readonly verified: Uint8Array;
  private dirty = false;
  private flushing: Promise<void> | undefined;
  private closed = false;

  private constructor(
    /** Final path of the file. */
    readonly dest: string,
    /** Identity and sources. */
    readonly meta: PartMeta,
    /** Verified block-hash list. */
    readonly hashes: Uint8Array,
    private readonly fh: FileHandle,
    verified?: Uint8Array,
  ) {
    this.verified = verified ?? new Uint8Array(Math.ceil(blockCount(meta.size, meta.blockSize) / 8));
  }

  /** Path of the partial data. */
  static partPath(dest: string): string { return `${dest}.part`; }
  /** Path of the sidecar. */
  static sidecarPath(dest: string): string { return `${dest}.part.json`; }

  /** Starts a new partial file after checking that the file system has room for it. */
  static async create(dest: string, meta: PartMeta, hashes: Uint8Array, freeSpace: FreeSpace = statfsFreeSpace): Promise<PartFile> {
    const free = await freeSpace(dirname(dest));
    // A little headroom for the sidecar and metadata.
    const needed = meta.size + 64 * 1024;
    if (free < needed) throw new InsufficientSpaceError(needed, free);
    const fh = await open(PartFile.partPath(dest), 'w+', 0o644);
    try {
      await fh.truncate(meta.size);
    } catch (err) {
      await fh.close();
      throw err;
    }
    const part = new PartFile(dest, meta, hashes, fh);
    await part.writeSidecar();
    return part;
  }

  /** Reopens a partial file from its sidecar; undefined when the sidecar is missing, damaged or inconsistent. */
  static async load(dest: string): Promise<PartFile | undefined> {
    let raw: { meta: PartMeta; hashes: string; verified: string };
    try {
      raw = JSON.parse(await readFile(PartFile.sidecarPath(dest), 'utf8'));
    } catch {
      return undefined;
    }
    const m = raw?.meta;
    if (!m || typeof m.root !== 'string' || !Number.isSafeInteger(m.size) || !Number.isInteger(m.blockSize)) return undefined;
    const hashes = new Uint8Array(Buffer.from(raw.hashes ?? '', 'base64'));
    if (toHex(computeRoot(m.size, m.blockSize, hashes)) !== m.root) return undefined;
    const verified = new Uint8Array(Buffer.from(raw.verified ?? '', 'base64'));
    if (verified.length !== Math.ceil(blockCount(m.size, m.blockSize) / 8)) return undefined;
    let fh: FileHandle;
    try {
      fh = await open(PartFile.partPath(dest), 'r+');
    } catch {
      return undefined;
    }
    return new PartFile(dest, m, hashes, fh, verified);
  }

  /** Indexes of the verified blocks. */
  verifiedBlocks(): number[] {
    const out: number[] = [];
    const n = blockCount(this.meta.size, this.meta.blockSize);
    for (let i = 0; i < n; i++) if (this.isVerified(i)) out.push(i);
    return out;
  }

  /** True when block `i` is marked verified. */
  isVerified(i: number): boolean {
    return (this.verified[i >> 3]! & (1 << (i & 7))) !== 0;
  }

  /** The expected hash of block `i`. */
  blockHash(i: number): Uint8Array {
    return this.hashes.subarray(i * 32, i * 32 + 32);
  }

  /** Writes a block that matched its hash; it is marked verified once written (and durable at the next flush). */
  writeBlock(i: number, data: Uint8Array): Promise<void> {
    return this.writeRun(i, 1, data);
  }

  /** Writes `count` consecutive blocks from `first` that each matched their hash, in one write. */
  async writeRun(first: number, count: number, data: Uint8Array): Promise<void> {
    let expected = 0;
    for (let i = first; i < first + count; i++) expected += blockLength(this.meta.size, this.meta.blockSize, i);
    if (data.length !== expected) throw new BlockLengthError(`blocks ${first}+${count} have the wrong length`);
    let off = 0;
    while (off < data.length) {
      const { bytesWritten } = await this.fh.write(data, off, data.length - off, first * this.meta.blockSize + off);
      off += bytesWritten;
    }
    for (let i = first; i < first + count; i++) this.verified[i >> 3]! |= 1 << (i & 7);
    this.dirty = true;
  }

  /** Reads block `i` back from the partial data (into `into` when given and large enough). */
  async readBlock(i: number, into?: Buffer): Promise<Uint8Array> {
    const len = blockLength(this.meta.size, this.meta.blockSize, i);
    const buf = into && into.length >= len ? into.subarray(0, len) : Buffer.allocUnsafe(len);
    let off = 0;
    while (off < len) {
      const { bytesRead } = await this.fh.read(buf, off, len - off, i * this.meta.blockSize + off);
      if (bytesRead === 0) throw new BlockLengthError(`block ${i} is short on disk`);
      off += bytesRead;
    }
    return buf;
  }

  /** Makes every written block durable: fsync the data, then rewrite the sidecar atomically. */
  flush(): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.dirty ? this.flush() : undefined));
    if (!this.dirty || this.closed) return Promise.resolve();
    this.dirty = false;
    this.flushing = (async () => {
      try {
        await this.fh.datasync();
        await this.writeSidecar();
      } catch (err) {
        this.dirty = true;
        throw err;
      } finally {
        this.flushing = undefined;
      }
    })();
    return this.flushing;
  }

  private async writeSidecar(): Promise<void> {
    const path = PartFile.sidecarPath(this.dest);
    const tmp = `${path}.p2p-tmp`;
    try {
      const fh = await open(tmp, 'w', 0o644);
      try {
        await fh.writeFile(JSON.stringify({
          meta: this.meta, hashes: Buffer.from(this.hashes).toString('base64'), verified: Buffer.from(this.verified).toString('base64'),
        }));
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, path);
    } catch (err) {
      // The previous sidecar stays valid (it only marks blocks that were on disk then); a torn temporary goes.
      await rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Checks the whole-file SHA-256 of the complete data and renames it into place atomically; on a mismatch the
   * partial file stays (FileHashMismatchError). `sha256` is the digest of the written bytes when the caller fed it
   * while writing (InOrderHash); without it the file is read and hashed here. Returns the final path.
   */
  async finish(sha256?: string): Promise<string> {
    await this.flush();
    await this.fh.sync();
    if ((sha256 ?? await this.hashData()) !== this.meta.sha256) throw new FileHashMismatchError(PartFile.partPath(this.dest));
    await this.close();
    await rename(PartFile.partPath(this.dest), this.dest);
    await rm(PartFile.sidecarPath(this.dest), { force: true });
    try {
      const d = await open(dirname(this.dest), 'r');
      await d.sync().catch(() => undefined);
      await d.close();
    } catch { /* directory fsync is best effort */ }
    return this.dest;
  }

  private async hashData(): Promise<string> {
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(1024 * 1024);
    for (let pos = 0; pos < this.meta.size;) {
      const { bytesRead } = await this.fh.read(buf, 0, Math.min(buf.length, this.meta.size - pos), pos);
      if (bytesRead === 0) break;
      hash.update(buf.subarray(0, bytesRead));
      pos += bytesRead;
    }
    return hash.digest('hex');
  }

  /** Flushes and closes the data file (the partial download stays, resumable). */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    await this.fh.close();
  }

  /** Closes and deletes the partial data and its sidecar (a cancelled download). */
  async discard(): Promise<void> {
    await this.close().catch(() => undefined);
    await rm(PartFile.partPath(this.dest), { force: true });
    await rm(PartFile.sidecarPath(this.dest), { force: true });
  }
}
