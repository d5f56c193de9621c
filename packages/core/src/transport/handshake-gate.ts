import type net from 'node:net';

/** Limits of a handshake gate. */
export interface HandshakeGateLimits {
  /** TLS handshakes in progress at once. */
  max: number;
  /** Handshakes in progress at once from one remote address (default: `max`, no bound of its own). */
  perAddress?: number;
}

/** Tracks inbound connections still in their TLS handshake and decides which ones stay. */
export interface HandshakeGate {
  /** A new raw connection; may destroy an older pending one (or this one) to stay within the limits. */
  admit(raw: net.Socket): void;
  /** The connection `key` finished its handshake (or failed): it no longer counts. */
  done(key: string): void;
  /** Handshakes in progress. */
  readonly size: number;
}

/** The key of a connection, the same for the raw socket and the TLS socket wrapping it. */
export function connectionKey(sock: net.Socket): string {
  return `${sock.remoteAddress}:${sock.remotePort}`;
}

/**
 * Creates a gate. A full gate drops an OLD handshake in progress, never the newcomer: connections that open and then
 * say nothing (slowloris) would otherwise hold every slot for the whole handshake timeout and lock every real client
 * out. The one dropped is the oldest of the address holding the most slots (the newcomer's own when it ties), so a
 * flooding source churns its own handshakes, not everyone's. One address may also hold only `perAddress` slots, and
 * when it is at that bound its own oldest goes.
 */
export function createHandshakeGate(limits: HandshakeGateLimits): HandshakeGate {
  const max = Math.max(1, limits.max);
  const perAddress = Math.max(1, Math.min(limits.perAddress ?? max, max));
  // Insertion order is age order: the first entry is the oldest handshake in progress.
  const pending = new Map<string, { raw: net.Socket; address: string }>();
  const byAddress = new Map<string, number>();
  const remove = (key: string) => {
    const p = pending.get(key);
    if (!p) return;
    pending.delete(key);
    const n = (byAddress.get(p.address) ?? 1) - 1;
    if (n <= 0) byAddress.delete(p.address);
    else byAddress.set(p.address, n);
  };
  const evict = (key: string) => {
    const p = pending.get(key);
    remove(key);
    p?.raw.destroy();
  };
  return {
    admit(raw) {
      // A socket reset before it was handed over has no address any more: nothing to admit, and it must not count.
      if (raw.remoteAddress === undefined) {
        raw.destroy();
        return;
      }
      const key = connectionKey(raw);
      const address = raw.remoteAddress;
      // A key seen again (a port reused after a close not yet noticed): the old entry goes, so counts stay exact.
      remove(key);
      if ((byAddress.get(address) ?? 0) >= perAddress) {
        for (const [k, p] of pending) if (p.address === address) { evict(k); break; }
      } else if (pending.size >= max) {
        // The oldest handshake of the address holding the most: a flood from one address, or a few, churns its own
        // handshakes and not those of everyone else (with a single address this is simply the oldest).
        let heaviest = address;
        let most = byAddress.get(address) ?? 0;
        for (const [a, n] of byAddress) if (n > most) { heaviest = a; most = n; }
        for (const [k, p] of pending) if (p.address === heaviest) { evict(k); break; }
      }
      pending.set(key, { raw, address });
      byAddress.set(address, (byAddress.get(address) ?? 0) + 1);
      // Only its own entry: the key (address:port) may already name a newer connection when this one's close comes.
      raw.once('close', () => { if (pending.get(key)?.raw === raw) remove(key); });
    },
    done: remove,
    get size() { return pending.size; },
  };
}
