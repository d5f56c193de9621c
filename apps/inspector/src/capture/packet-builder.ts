/** Addressing of one synthesised TCP segment or UDP datagram. */
export interface FlowAddress {
  /** Source IPv4 address (dotted) or IPv6 address (must be fully written or use ::). */
  src: string;
  /** Destination address, same family as src. */
  dst: string;
  /** Source port. */
  srcPort: number;
  /** Destination port. */
  dstPort: number;
}

/** TCP fields of a synthesised segment. */
export interface TcpFields {
  /** Sequence number. */
  seq: number;
  /** Acknowledgement number. */
  ack?: number;
  /** Flags byte (0x02 SYN, 0x10 ACK, 0x01 FIN, 0x18 PSH|ACK). */
  flags?: number;
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map((p) => Number(p)));
}

function ipv6Bytes(text: string): Uint8Array {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head ? head.split(':').filter(Boolean) : [];
  const right = tail ? tail.split(':').filter(Boolean) : [];
  const groups = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    const n = parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  return out;
}

function ipHeader(address: FlowAddress, protocol: number, payloadLength: number): Uint8Array {
  if (address.src.includes(':')) {
    const h = new Uint8Array(40);
    h[0] = 0x60;
    h[4] = payloadLength >> 8;
    h[5] = payloadLength & 0xff;
    h[6] = protocol;
    h[7] = 64;
    h.set(ipv6Bytes(address.src), 8);
    h.set(ipv6Bytes(address.dst), 24);
    return h;
  }
  const h = new Uint8Array(20);
  const total = 20 + payloadLength;
  h[0] = 0x45;
  h[2] = total >> 8;
  h[3] = total & 0xff;
  h[6] = 0x40; // don't fragment
  h[8] = 64;
  h[9] = protocol;
  h.set(ipv4Bytes(address.src), 12);
  h.set(ipv4Bytes(address.dst), 16);
  let sum = 0;
  for (let i = 0; i < 20; i += 2) sum += (h[i]! << 8) | h[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const checksum = ~sum & 0xffff;
  h[10] = checksum >> 8;
  h[11] = checksum & 0xff;
  return h;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Builds a raw IP packet (no link header) carrying one TCP segment. */
export function buildTcpPacket(address: FlowAddress, tcp: TcpFields, payload: Uint8Array): Uint8Array {
  const t = new Uint8Array(20);
  const v = new DataView(t.buffer);
  v.setUint16(0, address.srcPort);
  v.setUint16(2, address.dstPort);
  v.setUint32(4, tcp.seq >>> 0);
  v.setUint32(8, (tcp.ack ?? 0) >>> 0);
  t[12] = 5 << 4;
  t[13] = tcp.flags ?? 0x18;
  v.setUint16(14, 65535);
  return concat([ipHeader(address, 6, 20 + payload.length), t, payload]);
}

/** Builds a raw IP packet (no link header) carrying one UDP datagram. */
export function buildUdpPacket(address: FlowAddress, payload: Uint8Array): Uint8Array {
  const u = new Uint8Array(8);
  const v = new DataView(u.buffer);
  v.setUint16(0, address.srcPort);
  v.setUint16(2, address.dstPort);
  v.setUint16(4, 8 + payload.length);
  return concat([ipHeader(address, 17, 8 + payload.length), u, payload]);
}

/** Wraps a raw IP packet in an Ethernet header with zero MAC addresses, as tcpdump -i lo records it. */
export function wrapEthernet(ipPacket: Uint8Array): Uint8Array {
  const out = new Uint8Array(14 + ipPacket.length);
  const ipv6 = ipPacket[0]! >> 4 === 6;
  out[12] = ipv6 ? 0x86 : 0x08;
  out[13] = ipv6 ? 0xdd : 0x00;
  out.set(ipPacket, 14);
  return out;
}
