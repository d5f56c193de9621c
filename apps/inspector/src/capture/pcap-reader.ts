import { CorruptCaptureError, UnknownCaptureFormatError } from '../errors.js';
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
      const header = this.buffer.peek(RECORD_HEADER);
      if (!header) break;
      const view = new DataView(header.buffer, header.byteOffset, RECORD_HEADER);
      const le = this.littleEndian;
      const seconds = view.getUint32(0, le);
      const fraction = view.getUint32(4, le);
      const capLen = view.getUint32(8, le);
      const origLen = view.getUint32(12, le);
      if (capLen > MAX_RECORD) throw new CorruptCaptureError(`record ${this.count + 1} claims ${capLen} bytes`);
      if (this.buffer.length < RECORD_HEADER + capLen) break;
      this.buffer.take(RECORD_HEADER);
      const data = this.buffer.take(capLen);
      out.push({
        number: ++this.count,
        time: { seconds, nanos: this.nanos ? Math.min(fraction, 999_999_999) : Math.min(fraction, 999_999) * 1000 },
        linkType: this.linkType,
        interfaceId: 0,
        originalLength: origLen,
        data,
      });
    }
    return out;
  }

  end(): string | undefined {
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
  }
}
