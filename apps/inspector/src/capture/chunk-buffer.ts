/**
 * Accumulates byte chunks for a record parser and hands out contiguous views, copying only when a record spans
 * chunks. Consumed bytes are released at once so memory stays bounded by the largest record.
 */
export class ChunkBuffer {
  private data: Uint8Array = new Uint8Array(0);
  private offset = 0;

  /** Bytes available to read. */
  get length(): number {
    return this.data.length - this.offset;
  }

  /** Appends a chunk. */
  append(chunk: Uint8Array): void {
    if (this.length === 0) {
      this.data = chunk;
      this.offset = 0;
      return;
    }
    const rest = this.data.subarray(this.offset);
    const merged = new Uint8Array(rest.length + chunk.length);
    merged.set(rest, 0);
    merged.set(chunk, rest.length);
    this.data = merged;
    this.offset = 0;
  }

  /** A view of the next `n` bytes without consuming them, or undefined if fewer are buffered. */
  peek(n: number): Uint8Array | undefined {
    if (this.length < n) return undefined;
    return this.data.subarray(this.offset, this.offset + n);
  }

  /** Consumes `n` bytes and returns a view of them (valid until the next append). */
  take(n: number): Uint8Array {
    const view = this.data.subarray(this.offset, this.offset + n);
    this.offset += n;
    return view;
  }
}
