/**
 * Writes the exact bytes an author signs, field by field, rather than taking them from protobuf, whose re-encoding is
 * not guaranteed to be byte-stable across implementations: byte strings and text as a 4-byte big-endian length and
 * the bytes (text UTF-8), integers as 1-, 4- or 8-byte big-endian, a domain tag as NUL-terminated ASCII.
 */
export class ByteWriter {
  private readonly parts: Buffer[] = [];
  /** Appends a domain tag, NUL-terminated, so a signature over one kind can never pass for another. */
  tag(domain: string): this {
    this.parts.push(Buffer.from(`${domain}\0`, 'latin1'));
    return this;
  }
  /** Appends a byte string, length-prefixed. */
  bytes(b: Uint8Array | null | undefined): this {
    const v = b ?? new Uint8Array(0);
    this.u32(v.length);
    this.parts.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    return this;
  }
  /** Appends a text, UTF-8, length-prefixed. */
  text(s: string | null | undefined): this {
    return this.bytes(Buffer.from(s ?? '', 'utf8'));
  }
  /** Appends one byte. */
  u8(n: number): this {
    this.parts.push(Buffer.from([n & 0xff]));
    return this;
  }
  /** Appends a 32-bit big-endian integer. */
  u32(n: number | null | undefined): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE((n ?? 0) >>> 0);
    this.parts.push(b);
    return this;
  }
  /** Appends a 64-bit big-endian integer. */
  u64(n: number | bigint | { toString(): string } | null | undefined): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(typeof n === 'bigint' || typeof n === 'number' ? n : String(n ?? 0))));
    this.parts.push(b);
    return this;
  }
  /** The bytes written. */
  finish(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts));
  }
}

