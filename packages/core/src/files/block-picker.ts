/** A run of consecutive blocks to ask one source for. */
export interface BlockRun {
  /** First block. */
  index: number;
  /** Number of blocks (at least 1). */
  count: number;
}

/** What a picker needs: the file's block count, what is already verified, the run cap and a random source. */
export interface BlockPickerInit {
  /** Number of blocks of the file. */
  blocks: number;
  /** Blocks verified before this run (resume); they are never handed out. */
  verified?: Iterable<number>;
  /** Most blocks in one run (runs never cross a chunk of this many aligned blocks). */
  maxRun: number;
  /** Uniform random number in [0, 1): injected, so tests are deterministic. */
  random: () => number;
  /** Most sources asked for the same block in the endgame; default 2. */
  endgameCopies?: number;
  /**
   * Hand out the lowest free chunk first instead of a random one: a download then writes the file front to back,
   * which lets it feed the whole-file hash from memory as blocks arrive. Default false.
   */
  sequential?: boolean;
}

/**
 * Decides which blocks to ask which source for: random-first over aligned chunks (every holder has the whole
 * file, so every block is equally rare and random order spreads sources over the file), runs of consecutive free
 * blocks inside a chunk so one request carries several blocks, and an endgame that asks a second source for blocks
 * still in flight once nothing else is left. Pure: no I/O, no clock.
 */
export class BlockPicker {
  private readonly verified: Uint8Array;
  private readonly inFlight = new Map<number, Set<string>>();
  private readonly chunkPool: number[] = [];
  private readonly chunkPos: Int32Array;
  private verifiedCount = 0;
  private cursor = 0;
  private readonly copies: number;

  constructor(private readonly init: BlockPickerInit) {
    this.verified = new Uint8Array(init.blocks);
    for (const i of init.verified ?? []) {
      if (i >= 0 && i < init.blocks && !this.verified[i]) { this.verified[i] = 1; this.verifiedCount++; }
    }
    this.copies = init.endgameCopies ?? 2;
    const chunks = Math.ceil(init.blocks / init.maxRun);
    this.chunkPos = new Int32Array(chunks).fill(-1);
    for (let c = 0; c < chunks; c++) if (this.chunkHasFree(c)) this.addChunk(c);
  }

  /** Blocks verified so far. */
  get done(): number { return this.verifiedCount; }
  /** True when every block is verified. */
  get complete(): boolean { return this.verifiedCount === this.init.blocks; }
  /** True when block `i` is verified. */
  isVerified(i: number): boolean { return this.verified[i] === 1; }

  /** The next run for `source`, or undefined when there is nothing it could usefully fetch now. */
  pick(source: string): BlockRun | undefined {
    while (this.chunkPool.length > 0) {
      const chunk = this.init.sequential ? this.lowestChunk() : this.chunkPool[Math.floor(this.init.random() * this.chunkPool.length)]!;
      const start = chunk * this.init.maxRun;
      const end = Math.min(this.init.blocks, start + this.init.maxRun);
      let i = start;
      while (i < end && !this.isFree(i)) i++;
      if (i === end) { this.removeChunk(chunk); continue; }
      let j = i;
      while (j < end && this.isFree(j)) { this.inFlight.set(j, new Set([source])); j++; }
      if (!this.chunkHasFree(chunk)) this.removeChunk(chunk);
      return { index: i, count: j - i };
    }
    return this.endgame(source);
  }

  // Nothing is free: ask this source too for the in-flight block with the fewest askers, never one it already has.
  private endgame(source: string): BlockRun | undefined {
    let best: number | undefined;
    let bestAskers = Infinity;
    for (const [i, askers] of this.inFlight) {
      if (askers.has(source) || askers.size >= this.copies) continue;
      if (askers.size < bestAskers) { best = i; bestAskers = askers.size; }
    }
    if (best === undefined) return undefined;
    this.inFlight.get(best)!.add(source);
    return { index: best, count: 1 };
  }

  /** Block `i` arrived and matched its hash. Returns false when it was already verified (a late endgame copy). */
  verifiedBlock(i: number): boolean {
    if (i < 0 || i >= this.init.blocks || this.verified[i]) return false;
    this.verified[i] = 1;
    this.verifiedCount++;
    this.inFlight.delete(i);
    return true;
  }

  /** `source` will not deliver these blocks (error, timeout, bad block): they go back to the pool unless others have them in flight. */
  release(source: string, run: BlockRun): void {
    for (let i = run.index; i < run.index + run.count; i++) {
      const askers = this.inFlight.get(i);
      if (!askers?.delete(source)) continue;
      if (askers.size === 0) {
        this.inFlight.delete(i);
        if (!this.verified[i]) this.addChunk(Math.floor(i / this.init.maxRun));
      }
    }
  }

  /** Blocks currently asked of someone. */
  get inFlightCount(): number { return this.inFlight.size; }

  private isFree(i: number): boolean {
    return !this.verified[i] && !this.inFlight.has(i);
  }

  private chunkHasFree(c: number): boolean {
    const start = c * this.init.maxRun;
    const end = Math.min(this.init.blocks, start + this.init.maxRun);
    for (let i = start; i < end; i++) if (this.isFree(i)) return true;
    return false;
  }

  // The lowest chunk in the pool; chunks below the cursor are never in it (addChunk moves the cursor back).
  private lowestChunk(): number {
    while (this.chunkPos[this.cursor] === -1) this.cursor++;
    return this.cursor;
  }

  private addChunk(c: number): void {
    if (this.chunkPos[c] !== -1) return;
    if (c < this.cursor) this.cursor = c;
    this.chunkPos[c] = this.chunkPool.length;
    this.chunkPool.push(c);
  }

  private removeChunk(c: number): void {
    const pos = this.chunkPos[c]!;
    if (pos === -1) return;
    const last = this.chunkPool.pop()!;
    if (last !== c) { this.chunkPool[pos] = last; this.chunkPos[last] = pos; }
    this.chunkPos[c] = -1;
  }
}
