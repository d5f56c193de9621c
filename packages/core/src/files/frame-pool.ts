/**
 * Buffers for block frames, given back once the socket has written them: a holder serving hundreds of blocks a
 * second would otherwise allocate that many large buffers, and the garbage collector would spend more time on them
 * than the encryption does. Holds at most `maxBytes` of free buffers; a buffer not given back is simply collected.
 */
export class FramePool {
  private readonly free: Buffer[] = [];
  private freeBytes = 0;

  constructor(private readonly maxBytes: number, private readonly granule = 64 * 1024) {}

  /** A buffer of exactly `length` bytes (a view of a pooled one when one fits); its content is undefined. */
  take(length: number): Buffer {
    for (let i = this.free.length - 1; i >= 0; i--) {
      const b = this.free[i]!;
      // A much larger buffer stays for a frame that needs it.
      if (b.length >= length && b.length <= 2 * length + this.granule) {
        this.free.splice(i, 1);
        this.freeBytes -= b.length;
        return b.subarray(0, length);
      }
    }
    return Buffer.allocUnsafeSlow(Math.ceil(length / this.granule) * this.granule).subarray(0, length);
  }

  /** Gives back a buffer from take() that nothing reads or writes any more. */
  give(view: Uint8Array): void {
    // Only whole buffers of take()'s making come back (never a slice of Node's shared small-buffer pool).
    if (view.byteOffset !== 0 || view.buffer.byteLength % this.granule !== 0) return;
    const whole = Buffer.from(view.buffer, 0, view.buffer.byteLength);
    if (this.freeBytes + whole.length > this.maxBytes) return;
    this.free.push(whole);
    this.freeBytes += whole.length;
  }

  /** Bytes held free. */
  get bytes(): number { return this.freeBytes; }
}
