import { LinkType } from './types.js';

/** The network-layer packet found inside a link-layer frame. */
export interface NetworkPacket {
  /** 4 or 6. */
  ipVersion: 4 | 6;
  /** The IP packet, starting with its header. */
  data: Uint8Array;
}

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];

/**
 * Strips the link-layer header of a captured frame. Returns the IP packet, or a reason string when the frame
 * carries something other than IPv4/IPv6 (ARP, LLDP, ...) or a link type we do not know.
 */
export function stripLinkLayer(linkType: number, frame: Uint8Array): NetworkPacket | string {
  switch (linkType) {
    case LinkType.ETHERNET: {
      let offset = 12;
      let etherType = readU16(frame, offset);
      // 802.1Q / 802.1ad tags can be stacked; each is 4 bytes.
      while (etherType !== undefined && ETHERTYPE_VLAN.includes(etherType)) {
        offset += 4;
        etherType = readU16(frame, offset);
      }
      return byEtherType(etherType, frame.subarray(offset + 2));
    }
    case LinkType.LINUX_SLL:
      return byEtherType(readU16(frame, 14), frame.subarray(16));
    case LinkType.LINUX_SLL2:
      return byEtherType(readU16(frame, 0), frame.subarray(20));
    case LinkType.RAW:
    case LinkType.IPV4:
    case LinkType.IPV6:
      return byVersionNibble(frame);
    case LinkType.NULL:
    case LinkType.LOOP: {
      if (frame.length < 4) return 'loopback header cut short';
      // NULL stores the address family in the capturing host's byte order, LOOP in network order; the family
      // values are small, so whichever end is non-zero tells the order.
      const family = frame[0] !== 0 ? frame[0]! : frame[3]!;
      if (family === 2) return { ipVersion: 4, data: frame.subarray(4) };
      if (family === 24 || family === 28 || family === 30) return { ipVersion: 6, data: frame.subarray(4) };
      return `loopback address family ${family} is not IP`;
    }
    default:
      return `link type ${linkType} is not supported`;
  }
}

function readU16(bytes: Uint8Array, offset: number): number | undefined {
  return offset + 2 <= bytes.length ? (bytes[offset]! << 8) | bytes[offset + 1]! : undefined;
}

function byEtherType(etherType: number | undefined, payload: Uint8Array): NetworkPacket | string {
  if (etherType === undefined) return 'link-layer header cut short';
  if (etherType === ETHERTYPE_IPV4) return { ipVersion: 4, data: payload };
  if (etherType === ETHERTYPE_IPV6) return { ipVersion: 6, data: payload };
  return `ethertype 0x${etherType.toString(16).padStart(4, '0')} is not IP`;
}

function byVersionNibble(packet: Uint8Array): NetworkPacket | string {
  const version = packet.length > 0 ? packet[0]! >> 4 : 0;
  if (version === 4) return { ipVersion: 4, data: packet };
  if (version === 6) return { ipVersion: 6, data: packet };
  return `raw packet with IP version ${version}`;
}
