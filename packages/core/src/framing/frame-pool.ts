/**
 * Buffers for large frames, reused instead of allocated one per frame: a transfer moves hundreds of 512 KiB blocks
 * a second, and V8 counts every new buffer towards its next full collection, so fresh buffers cost more in garbage
 * collection than the encryption costs. A buffer comes back only when its last user says it is done with it (a
 * holder once the socket wrote the frame, a downloader once the block is hashed and written); one never given back
 * is simply collected. Holds at most `maxBytes` of free buffers, and only buffers it made.
 */
export class FramePool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;
  private readonly mine = new WeakSet<ArrayBufferLike>();

  constructor(private readonly maxBytes: number, private readonly granule = 64 * 1024) {}

  /** A buffer of exactly `length` bytes (a view of a pooled one when one fits); its content is undefined. */
  take(length: number): Buffer {
    return this.takeFree(length) ?? this.allocate(length);
  }

  /** Like take, but only from the free buffers: undefined rather than a new allocation. */
  takeFree(length: number): Buffer | undefined {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i]!;
      // A much larger buffer stays for a frame that needs it.
      if (b.length >= length && b.length <= 2 * length + this.granule) {
        this.free.splice(i, 1);
        this.freeBytes -= b.length;
        return b.subarray(0, length);
      }
    }
    return undefined;
  }

  private allocate(length: number): Buffer {
    const b = Buffer.allocUnsafeSlow(Math.ceil(length / this.granule) * this.granule);
    this.mine.add(b.buffer);
    return b.subarray(0, length);
  }

  /**
   * Gives back the buffer `view` lies in, which nothing may read or write any more; ignored for buffers this pool did
   * not make, and when the pool is full.
   */
  give(view: Uint8Array): void {
    if (!this.mine.has(view.buffer)) return;
    const whole = Buffer.from(view.buffer, 0, view.buffer.byteLength);
    if (this.free.some((b) => b.buffer === view.buffer)) return;
    if (this.freeBytes + whole.length > this.maxBytes) return;
    this.free.push(whole);
    this.freeBytes += whole.length;
  }

  /** Bytes held free. */
  get bytes(): number { return this.freeBytes; }
}

/**
 * The pool of the frames this process receives (large ones, file blocks above all): sessions decode into it and a
 * download gives a block's buffer back once it is hashed and written.
 */
export const receivedFrames = new FramePool(16 * 1024 * 1024);
