import type { PeerIdString } from '../identity/peer-id.js';
import type { HostPort } from '../transport/host-port.js';

/** Options of a dial-back queue. */
export interface DialBackOptions {
  /** Proves a peer reachable: dials `address` expecting `peerId`'s key; resolves true once the handshake completed. */
  probe(peerId: PeerIdString, address: HostPort): Promise<boolean>;
  /** Called for every proof that succeeded. */
  onProven(peerId: PeerIdString, address: HostPort): void;
  /** Dial-backs at once; default 4. */
  concurrency?: number;
  /** Dial-backs waiting; beyond it new requests are dropped (the peer asks again when it renews). Default 256. */
  maxQueued?: number;
}

/**
 * A seed's dial-backs to registered addresses, bounded in concurrency and backlog, one per peer at a time. The
 * addresses are the registering sessions' own source hosts, so dial-backs can only go back where a Register came from.
 */
export interface DialBack {
  /** Queues a proof of `peerId` at `address` (ignored while one for that peer is queued or running). */
  request(peerId: PeerIdString, address: HostPort): void;
  /** Proofs queued or running. */
  readonly pending: number;
  /** Stops starting new proofs. */
  stop(): void;
}

/** Creates a dial-back queue. */
export function createDialBack(options: DialBackOptions): DialBack {
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const maxQueued = Math.max(1, options.maxQueued ?? 256);
  const queued = new Map<PeerIdString, HostPort>();
  const running = new Set<PeerIdString>();
  let stopped = false;

  const pump = (): void => {
    while (!stopped && running.size < concurrency && queued.size > 0) {
      const [peerId, address] = queued.entries().next().value!;
      queued.delete(peerId);
      running.add(peerId);
      options.probe(peerId, address).then(
        (ok) => { if (ok && !stopped) options.onProven(peerId, address); },
        () => undefined,
      ).finally(() => {
        running.delete(peerId);
        pump();
      });
    }
  };

  return {
    request(peerId, address) {
      if (stopped || running.has(peerId) || queued.has(peerId)) return;
      if (queued.size >= maxQueued) return;
      queued.set(peerId, address);
      pump();
    },
    get pending() { return queued.size + running.size; },
    stop() { stopped = true; queued.clear(); },
  };
}
