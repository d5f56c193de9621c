import type { Timestamp } from './types.js';

/** Options of a PcapWriter. */
export interface PcapWriterOptions {
  /** LINKTYPE_* of every record. */
  linkType: number;
  /** Nanosecond timestamps (magic a1b23c4d) instead of microseconds. */
  nanos?: boolean;
  /** Write big-endian instead of little-endian. */
  bigEndian?: boolean;
  /** Snap length written in the header. */
  snapLength?: number;
}

/**
 * Serialises classic pcap: the inspector uses it to synthesise large captures for its benchmark and to turn
 * packets of a real capture into other link types and byte orders for tests.
 */
export class PcapWriter {
  private readonly le: boolean;
  private readonly nanos: boolean;

  constructor(private readonly options: PcapWriterOptions) {
    this.le = !options.bigEndian;
    this.nanos = options.nanos ?? false;
  }

  /** The 24-byte global header. */
  header(): Uint8Array {
    const out = new Uint8Array(24);
    const v = new DataView(out.buffer);
    v.setUint32(0, this.nanos ? 0xa1b23c4d : 0xa1b2c3d4, this.le);
    v.setUint16(4, 2, this.le);
    v.setUint16(6, 4, this.le);
    v.setUint32(16, this.options.snapLength ?? 262144, this.le);
    v.setUint32(20, this.options.linkType, this.le);
    return out;
  }

  /** One record: header plus frame bytes. */
  record(time: Timestamp, frame: Uint8Array, originalLength = frame.length): Uint8Array {
    const out = new Uint8Array(16 + frame.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, time.seconds, this.le);
    v.setUint32(4, this.nanos ? time.nanos : Math.floor(time.nanos / 1000), this.le);
    v.setUint32(8, frame.length, this.le);
    v.setUint32(12, originalLength, this.le);
    out.set(frame, 16);
    return out;
  }
}
