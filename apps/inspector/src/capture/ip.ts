import type { NetworkPacket } from './link-layer.js';

/** IP protocol numbers the inspector follows. */
export const IpProtocol = { TCP: 6, UDP: 17 } as const;

/** An IP packet reduced to what transport decoding needs. */
export interface IpPacket {
  /** 4 or 6. */
  version: 4 | 6;
  /** Source address in text form. */
  src: string;
  /** Destination address in text form. */
  dst: string;
  /** Transport protocol number (after IPv6 extension headers). */
  protocol: number;
  /** The transport-layer bytes (cut to the IP length, so Ethernet padding is gone). */
  payload: Uint8Array;
  /** True for a fragment: the payload is not a whole transport segment. */
  fragment: boolean;
}

const IPV6_EXTENSIONS = new Set([0, 43, 60, 51]);
const IPV6_FRAGMENT = 44;

/** Parses an IPv4 or IPv6 header; returns a reason string for a packet too damaged to read. */
export function parseIp(packet: NetworkPacket): IpPacket | string {
  return packet.ipVersion === 4 ? parseIpv4(packet.data) : parseIpv6(packet.data);
}

function parseIpv4(b: Uint8Array): IpPacket | string {
  if (b.length < 20) return 'IPv4 header cut short';
  if (b[0]! >> 4 !== 4) return 'IPv4 version nibble is wrong';
  const headerLength = (b[0]! & 0x0f) * 4;
  const totalLength = (b[2]! << 8) | b[3]!;
  if (headerLength < 20 || b.length < headerLength) return 'IPv4 header length is wrong';
  // A total length of 0 happens with TCP segmentation offload captures; trust the captured length then.
  const end = totalLength >= headerLength ? Math.min(totalLength, b.length) : b.length;
  const flagsFragment = (b[6]! << 8) | b[7]!;
  return {
    version: 4,
    src: `${b[12]}.${b[13]}.${b[14]}.${b[15]}`,
    dst: `${b[16]}.${b[17]}.${b[18]}.${b[19]}`,
    protocol: b[9]!,
    payload: b.subarray(headerLength, end),
    fragment: (flagsFragment & 0x2000) !== 0 || (flagsFragment & 0x1fff) !== 0,
  };
}

function parseIpv6(b: Uint8Array): IpPacket | string {
  if (b.length < 40) return 'IPv6 header cut short';
  const payloadLength = (b[4]! << 8) | b[5]!;
  let next = b[6]!;
  let offset = 40;
  let fragment = false;
  const end = payloadLength > 0 ? Math.min(40 + payloadLength, b.length) : b.length;
  while (IPV6_EXTENSIONS.has(next) || next === IPV6_FRAGMENT) {
    if (offset + 8 > end) return 'IPv6 extension header cut short';
    const header = next;
    next = b[offset]!;
    if (header === IPV6_FRAGMENT) {
      fragment = true;
      offset += 8;
    } else if (header === 51) {
      offset += (b[offset + 1]! + 2) * 4;
    } else {
      offset += (b[offset + 1]! + 1) * 8;
    }
  }
  if (offset > end) return 'IPv6 extension headers overrun the packet';
  return {
    version: 6,
    src: ipv6ToString(b.subarray(8, 24)),
    dst: ipv6ToString(b.subarray(24, 40)),
    protocol: next,
    payload: b.subarray(offset, end),
    fragment,
  };
}

/** Text form of a 16-byte IPv6 address (RFC 5952: lowercase, longest zero run compressed). */
export function ipv6ToString(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
