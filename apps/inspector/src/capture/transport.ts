/** A TCP segment's header fields and payload. */
export interface TcpSegment {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** Sequence number (unsigned 32-bit). */
  seq: number;
  /** Acknowledgement number (unsigned 32-bit). */
  ack: number;
  /** SYN flag. */
  syn: boolean;
  /** FIN flag. */
  fin: boolean;
  /** RST flag. */
  rst: boolean;
  /** ACK flag. */
  hasAck: boolean;
  /** Bytes after the TCP header. */
  payload: Uint8Array;
}

/** A UDP datagram's ports and payload. */
export interface UdpDatagram {
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
  /** The datagram's payload. */
  payload: Uint8Array;
}

/** Parses a TCP header; returns a reason string for a damaged one. */
export function parseTcp(b: Uint8Array): TcpSegment | string {
  if (b.length < 20) return 'TCP header cut short';
  const dataOffset = (b[12]! >> 4) * 4;
  if (dataOffset < 20 || dataOffset > b.length) return 'TCP data offset is wrong';
  const flags = b[13]!;
  return {
    srcPort: (b[0]! << 8) | b[1]!,
    dstPort: (b[2]! << 8) | b[3]!,
    seq: ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0,
    ack: ((b[8]! << 24) | (b[9]! << 16) | (b[10]! << 8) | b[11]!) >>> 0,
    fin: (flags & 0x01) !== 0,
    syn: (flags & 0x02) !== 0,
    rst: (flags & 0x04) !== 0,
    hasAck: (flags & 0x10) !== 0,
    payload: b.subarray(dataOffset),
  };
}

/** Parses a UDP header; returns a reason string for a damaged one. */
export function parseUdp(b: Uint8Array): UdpDatagram | string {
  if (b.length < 8) return 'UDP header cut short';
  const length = (b[4]! << 8) | b[5]!;
  // Length 0 is legal for IPv6 jumbograms; otherwise trust the header but never read past the capture.
  const end = length >= 8 ? Math.min(length, b.length) : b.length;
  return { srcPort: (b[0]! << 8) | b[1]!, dstPort: (b[2]! << 8) | b[3]!, payload: b.subarray(8, end) };
}
