import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The interface LAN discovery binds to and announces on. */
export interface LanInterface {
  /** Interface address. */
  address: string;
  /** Its mask, when known (without one only multicast is used). */
  mask?: string;
}

function maskOf(address: string): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && a.address === address) return a.netmask;
  }
  return undefined;
}

/**
 * Chooses the discovery interface: the configured one; else the listen address when it is a specific address
 * (or a non-IP simulated host); else, for a wildcard listen address, the first non-internal IPv4 interface, which
 * is what a user running a node on a LAN expects. The mask defaults to the interface's own.
 */
export function resolveLanInterface(configured: string | undefined, mask: string | undefined, listenHost: string): LanInterface | undefined {
  let address = configured;
  if (!address) {
    if (isIP(listenHost) === 0) return { address: listenHost, ...(mask ? { mask } : {}) };
    if (isIP(listenHost) === 4 && listenHost !== '0.0.0.0') address = listenHost;
  }
  if (!address) {
    for (const list of Object.values(networkInterfaces())) {
      const found = (list ?? []).find((a) => a.family === 'IPv4' && !a.internal);
      if (found) { address = found.address; break; }
    }
  }
  if (!address) return undefined;
  const m = mask ?? maskOf(address);
  return m ? { address, mask: m } : { address };
}
