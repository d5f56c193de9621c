/** Link-layer header types (LINKTYPE_* values of pcap and pcapng) the inspector understands. */
export const LinkType = {
  NULL: 0,
  ETHERNET: 1,
  RAW: 101,
  LOOP: 108,
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** A capture timestamp: whole seconds since the Unix epoch plus nanoseconds. */
export interface Timestamp {
  /** Seconds since the Unix epoch. */
  seconds: number;
  /** Nanoseconds within the second (0..999999999). */
  nanos: number;
}

/** One packet record read from a capture file. */
export interface CapturedPacket {
  /** Position of the packet in the file, from 1 (as Wireshark numbers frames). */
  number: number;
  /** When the packet was captured. */
  time: Timestamp;
  /** LINKTYPE_* of the packet's interface. */
  linkType: number;
  /** Index of the capturing interface (pcapng; always 0 for pcap). */
  interfaceId: number;
  /** Length of the packet on the wire (may exceed data.length when the snap length cut it). */
  originalLength: number;
  /** The captured bytes, starting with the link-layer header. */
  data: Uint8Array;
}

/** A push parser of a capture format: feed it bytes, get the packets they completed. */
export interface CaptureParser {
  /** Feeds the next bytes of the file; returns the packets completed by them. */
  push(chunk: Uint8Array): CapturedPacket[];
  /** Bytes held waiting for the rest of a record. */
  readonly pendingBytes: number;
  /** Damaged record headers skipped over (the parser resynchronised after each). */
  readonly damagedRecords?: number;
  /** Declares the end of the file; returns a description of a cut last record, if any. */
  end(): string | undefined;
}

/** Formats a timestamp as ISO 8601 in UTC with nanoseconds. */
export function formatTimestamp(time: Timestamp): string {
  // Consecutive packets share their second: formatting the date part once per second is most of the saving.
  if (time.seconds !== lastSeconds) {
    lastSeconds = time.seconds;
    lastPrefix = new Date(time.seconds * 1000).toISOString().slice(0, 19);
  }
  return `${lastPrefix}.${String(time.nanos).padStart(9, '0')}Z`;
}

let lastSeconds = Number.NaN;
let lastPrefix = '';

/** A timestamp as fractional seconds (for arithmetic; loses sub-microsecond precision). */
export function timestampToSeconds(time: Timestamp): number {
  return time.seconds + time.nanos / 1e9;
}
