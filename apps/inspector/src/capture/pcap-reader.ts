import { UnknownCaptureFormatError } from '../errors.js';
import { ChunkBuffer } from './chunk-buffer.js';
import type { CapturedPacket, CaptureParser } from './types.js';

/** Magic numbers of classic pcap, as read big-endian from the first 4 bytes. */
export const PCAP_MAGIC = {
  MICRO: 0xa1b2c3d4,
  NANO: 0xa1b23c4d,
  MICRO_SWAPPED: 0xd4c3b2a1,
  NANO_SWAPPED: 0x4d3cb2a1,
} as const;

const GLOBAL_HEADER = 24;
const RECORD_HEADER = 16;
// Larger than any snap length tcpdump uses (262144); a bigger record length means the file is damaged.
const MAX_RECORD = 16 * 1024 * 1024;

/** True when the first 4 bytes are a classic pcap magic in either byte order and resolution. */
export function isPcapMagic(head: Uint8Array): boolean {
  if (head.length < 4) return false;
  const m = ((head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!) >>> 0;
  return Object.values(PCAP_MAGIC).includes(m as never);
}

/** Streaming parser of classic pcap files: both byte orders, micro- and nanosecond timestamps. */
export class PcapParser implements CaptureParser {
  private readonly buffer = new ChunkBuffer();
  private littleEndian = true;
  private nanos = false;
  private linkType = -1;
  private count = 0;
  private snapLength = MAX_RECORD;
  private lastSeconds = -1;
  private resyncing = false;
  /** Record headers found damaged (each followed by a search for the next record). */
  damagedRecords = 0;
  /** Bytes skipped while searching for the next record. */
  skippedBytes = 0;

  get pendingBytes(): number {
    return this.buffer.length;
  }

  push(chunk: Uint8Array): CapturedPacket[] {
    this.buffer.append(chunk);
    const out: CapturedPacket[] = [];
    if (this.linkType < 0) {
      const head = this.buffer.peek(GLOBAL_HEADER);
      if (!head) return out;
      this.readGlobalHeader(head);
      this.buffer.take(GLOBAL_HEADER);
    }
    for (;;) {
      if (this.resyncing && !this.resync()) break;
      const header = this.buffer.peek(RECORD_HEADER);
      if (!header) break;
      const view = new DataView(header.buffer, header.byteOffset, RECORD_HEADER);
      const le = this.littleEndian;
      const seconds = view.getUint32(0, le);
      const fraction = view.getUint32(4, le);
      const capLen = view.getUint32(8, le);
      const origLen = view.getUint32(12, le);
      if (!this.plausible(header, 0)) {
        // A damaged record header: find the next record instead of giving up on the rest of the file.
        this.resyncing = true;
        this.damagedRecords++;
        continue;
      }
      if (this.buffer.length < RECORD_HEADER + capLen) break;
      this.buffer.take(RECORD_HEADER);
      const data = this.buffer.take(capLen);
      this.lastSeconds = seconds;
      out.push({
        number: ++this.count,
        time: { seconds, nanos: this.nanos ? fraction : fraction * 1000 },
        linkType: this.linkType,
        interfaceId: 0,
        originalLength: origLen,
        data,
      });
    }
    return out;
  }

  /** True when 16 bytes at `offset` of `b` can be a record header of this file. */
  private plausible(b: Uint8Array, offset: number): boolean {
    const view = new DataView(b.buffer, b.byteOffset + offset, RECORD_HEADER);
    const le = this.littleEndian;
    const seconds = view.getUint32(0, le);
    const fraction = view.getUint32(4, le);
    const capLen = view.getUint32(8, le);
    const origLen = view.getUint32(12, le);
    if (fraction >= (this.nanos ? 1e9 : 1e6)) return false;
    if (capLen > this.snapLength || capLen > MAX_RECORD || capLen > origLen) return false;
    return this.lastSeconds < 0 || Math.abs(seconds - this.lastSeconds) < 86_400 * 7;
  }

  // Skips bytes until a plausible header followed by another plausible header (or the end of the buffered data
  // when a whole record is there). Returns false when more bytes are needed.
  private resync(): boolean {
    const b = this.buffer.peek(this.buffer.length)!;
    let p = 1;
    for (; p + RECORD_HEADER <= b.length; p++) {
      if (!this.plausible(b, p)) continue;
      const capLen = new DataView(b.buffer, b.byteOffset + p + 8, 4).getUint32(0, this.littleEndian);
      const next = p + RECORD_HEADER + capLen;
      if (next + RECORD_HEADER > b.length) break; // cannot confirm yet
      if (this.plausible(b, next)) {
        this.skippedBytes += p;
        this.buffer.take(p);
        this.resyncing = false;
        return true;
      }
    }
    // Keep the unconfirmed tail (bounded by one record); drop what cannot start a record.
    const drop = Math.max(0, Math.min(p, b.length - RECORD_HEADER - MAX_RECORD));
    if (p + RECORD_HEADER > b.length) {
      this.skippedBytes += p - 1;
      this.buffer.take(p - 1);
    } else if (drop > 0) {
      this.skippedBytes += drop;
      this.buffer.take(drop);
    }
    return false;
  }

  end(): string | undefined {
    if (this.resyncing && this.buffer.length > 0) return `damaged end of file (${this.buffer.length} bytes not a record)`;
    if (this.linkType < 0) return this.buffer.length > 0 ? 'file ends inside the pcap header' : 'empty file';
    return this.buffer.length > 0 ? `file ends inside a packet record (${this.buffer.length} bytes left)` : undefined;
  }

  private readGlobalHeader(head: Uint8Array): void {
    const view = new DataView(head.buffer, head.byteOffset, GLOBAL_HEADER);
    const magic = view.getUint32(0, false);
    switch (magic) {
      case PCAP_MAGIC.MICRO: this.littleEndian = false; this.nanos = false; break;
      case PCAP_MAGIC.NANO: this.littleEndian = false; this.nanos = true; break;
      case PCAP_MAGIC.MICRO_SWAPPED: this.littleEndian = true; this.nanos = false; break;
      case PCAP_MAGIC.NANO_SWAPPED: this.littleEndian = true; this.nanos = true; break;
      default: throw new UnknownCaptureFormatError(`pcap magic 0x${magic.toString(16)}`);
    }
    // The upper bits of the link type field carry FCS information (pcap spec); the type is the low 16 bits.
    this.linkType = view.getUint32(20, this.littleEndian) & 0xffff;
    const snap = view.getUint32(16, this.littleEndian);
    // Some writers put 0 or a tiny value here; only a sane snap length tightens the plausibility check.
    this.snapLength = snap >= 256 && snap <= MAX_RECORD ? snap : MAX_RECORD;
  }
}
