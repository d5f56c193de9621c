import { isIPv4 } from 'node:net';

/** Parses a mask given as dotted quad (255.255.255.0) or prefix length (24 or /24); undefined if invalid. */
export function parseMask(mask: string): number | undefined {
  const m = mask.trim().replace(/^\//, '');
  if (/^\d{1,2}$/.test(m)) {
    const bits = Number(m);
    if (bits > 32) return undefined;
    return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  }
  if (!isIPv4(m)) return undefined;
  const value = ipv4ToInt(m);
  // A mask is ones then zeros.
  const inverted = ~value >>> 0;
  if ((inverted & (inverted + 1)) !== 0) return undefined;
  return value;
}

/** IPv4 dotted quad to an unsigned 32-bit integer. */
export function ipv4ToInt(address: string): number {
  return address.split('.').reduce((acc, part) => ((acc << 8) | Number(part)) >>> 0, 0);
}

/** Unsigned 32-bit integer to an IPv4 dotted quad. */
export function intToIpv4(value: number): string {
  return [24, 16, 8, 0].map((s) => (value >>> s) & 255).join('.');
}

/** The directed broadcast address of the subnet of `address` with `mask` (e.g. 127.0.0.1 + 255.0.0.0 -> 127.255.255.255). */
export function subnetBroadcast(address: string, mask: string): string | undefined {
  const m = parseMask(mask);
  if (m === undefined || !isIPv4(address)) return undefined;
  // A /32 or /31 has no broadcast address: announcing there would reach nobody.
  if (m >>> 0 >= 0xfffffffe) return undefined;
  return intToIpv4(((ipv4ToInt(address) & m) | (~m >>> 0)) >>> 0);
}

/** True when `other` is in the same subnet as `address` under `mask`. */
export function inSubnet(address: string, mask: string, other: string): boolean {
  const m = parseMask(mask);
  if (m === undefined || !isIPv4(address) || !isIPv4(other)) return false;
  return ((ipv4ToInt(address) & m) >>> 0) === ((ipv4ToInt(other) & m) >>> 0);
}
