import { createHash } from 'node:crypto';

/** Where an InOrderHash reads blocks it did not see in memory. */
export interface InOrderHashSource {
  /** Number of blocks of the file. */
  blocks: number;
  /** True once block `i` is written to the partial file (verified). */
  isWritten(i: number): boolean;
  /** Reads block `i` back from the partial file. */
  read(i: number): Promise<Uint8Array>;
}

/**
 * The whole-file SHA-256 of a download, fed block by block in file order while the download runs, so no second
 * pass over the finished file is needed before the rename. The block at the frontier is hashed from memory as it is
 * written; blocks written ahead of it (another source, a resumed part) are read back from the file once the frontier
 * reaches them, one at a time, so memory stays at one block.
 */
export class InOrderHash {
  private readonly hash = createHash('sha256');
  private next = 0;
  private catching: Promise<void> | undefined;
  private error: Error | undefined;
  private result: Promise<string | undefined> | undefined;

  constructor(private readonly source: InOrderHashSource) {}

  /** Blocks hashed so far (the frontier). */
  get frontier(): number { return this.next; }

  /** Starts reading back blocks already written at the frontier (a resumed download). */
  start(): void { this.catchUp(); }

  /** Block `i` was just written with `data` (the bytes written). */
  written(i: number, data: Uint8Array): void {
    // While a read-back runs, it owns the frontier: it reaches this block through the file.
    if (i === this.next && !this.catching && !this.error) {
      this.hash.update(data);
      this.next++;
    }
    this.catchUp();
  }

  private catchUp(): void {
    if (this.catching || this.error) return;
    const { blocks, isWritten } = this.source;
    if (this.next >= blocks || !isWritten(this.next)) return;
    this.catching = (async () => {
      try {
        while (this.next < blocks && isWritten(this.next)) {
          this.hash.update(await this.source.read(this.next));
          this.next++;
        }
      } catch (err) {
        this.error = err as Error;
      } finally {
        this.catching = undefined;
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
    while (this.catching) await this.catching;
    this.catchUp();
    while (this.catching) await this.catching;
    if (this.error || this.next < this.source.blocks) return undefined;
    return this.hash.digest('hex');
  }
}
