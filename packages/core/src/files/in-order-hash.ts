import { createHash } from 'node:crypto';

/** Where an InOrderHash reads blocks it did not keep in memory. */
export interface InOrderHashSource {
  /** Number of blocks of the file. */
  blocks: number;
  /** True once block `i` is written to the partial file (verified). */
  isWritten(i: number): boolean;
  /** Reads block `i` back from the partial file. */
  read(i: number): Promise<Uint8Array>;
  /** Most bytes of blocks verified ahead of the frontier kept in memory until it reaches them; default 8 MiB. */
  maxAheadBytes?: number;
  /** Told when a block given to verified() is no longer needed (hashed, or not kept). */
  release?(data: Uint8Array): void;
}

/**
 * The whole-file SHA-256 of a download, fed block by block in file order while the download runs, so no second
 * pass over the finished file is needed before the rename. Verified blocks are hashed from memory when the frontier
 * reaches them (those ahead of it wait in a bounded buffer: requests run in parallel and answers overtake each
 * other); blocks beyond that bound, and those of a resumed part, are read back from the file once written, one at a
 * time.
 */
export class InOrderHash {
  private readonly hash = createHash('sha256');
  private readonly ahead = new Map<number, Uint8Array>();
  private aheadBytes = 0;
  private next = 0;
  private reading: Promise<void> | undefined;
  private error: Error | undefined;
  private result: Promise<string | undefined> | undefined;

  constructor(private readonly source: InOrderHashSource) {}

  /** Blocks hashed so far (the frontier). */
  get frontier(): number { return this.next; }

  /** Starts reading back blocks already written at the frontier (a resumed download). */
  start(): void { this.advance(); }

  /** Block `i` matched its hash; `data` are its bytes, as they are being written. */
  verified(i: number, data: Uint8Array): void {
    if (i < this.next || this.ahead.has(i) || this.error) {
      this.source.release?.(data);
    } else if (i === this.next && !this.reading) {
      this.hash.update(data);
      this.next++;
      this.source.release?.(data);
    } else if (this.aheadBytes + data.length <= (this.source.maxAheadBytes ?? 8 * 1024 * 1024)) {
      this.ahead.set(i, data);
      this.aheadBytes += data.length;
    } else {
      this.source.release?.(data);
    }
    this.advance();
  }

  /** Block `i` is now on disk (a frontier waiting for a block it could not keep may read it back). */
  written(_i: number): void {
    this.advance();
  }

  // Moves the frontier over blocks kept in memory, then over blocks on disk (reading them back in the background).
  private advance(): void {
    if (this.reading || this.error) return;
    const { blocks, isWritten } = this.source;
    for (let d = this.ahead.get(this.next); d; d = this.ahead.get(this.next)) {
      this.ahead.delete(this.next);
      this.aheadBytes -= d.length;
      this.hash.update(d);
      this.source.release?.(d);
      this.next++;
    }
    if (this.next >= blocks || !isWritten(this.next)) return;
    this.reading = (async () => {
      try {
        while (this.next < blocks) {
          const kept = this.ahead.get(this.next);
          if (kept) {
            this.ahead.delete(this.next);
            this.aheadBytes -= kept.length;
          } else if (!isWritten(this.next)) break;
          this.hash.update(kept ?? await this.source.read(this.next));
          if (kept) this.source.release?.(kept);
          this.next++;
        }
      } catch (err) {
        this.error = err as Error;
        for (const d of this.ahead.values()) this.source.release?.(d);
        this.ahead.clear();
        this.aheadBytes = 0;
      } finally {
        this.reading = undefined;
      }
    })();
  }

  /**
   * The hex digest once every block is written; undefined when a read-back failed or blocks are missing (the caller
   * then hashes the file itself).
   */
  digest(): Promise<string | undefined> {
    this.result ??= this.finish();
    return this.result;
  }

  private async finish(): Promise<string | undefined> {
    while (this.reading) await this.reading;
    this.advance();
    while (this.reading) await this.reading;
    if (this.error || this.next < this.source.blocks) return undefined;
    return this.hash.digest('hex');
  }
}
