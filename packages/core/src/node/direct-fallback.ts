// TEMPORARY: stands in for direct/ (createDirectRouter) until it lands; neighbours only, no routing.
import { randomBytes } from 'node:crypto';
import { v1 } from '../codec/wire.js';
import type { DirectRouter, DirectRouterInit } from '../direct/types.js';
import { peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import type { SendResult } from './types.js';

/** Minimal direct router: delivers to connected neighbours only and waits for their acknowledgement. */
export function createFallbackDirectRouter(init: DirectRouterInit): DirectRouter {
  const pending = new Map<string, { resolve: (r: SendResult) => void; timer: NodeJS.Timeout; start: number; to: string }>();
  const seen = new Set<string>();
  const stats = { delivered: 0, forwarded: 0, acked: 0, pending: 0, duplicates: 0 };
  return {
    send(to, payload, options) {
      const start = performance.now();
      const id = randomBytes(16);
      const key = id.toString('hex');
      const sent = init.send(to, {
        direct: {
          messageId: id, from: peerIdFromString(init.self), to: peerIdFromString(to), hopCount: 0, maxHops: 1,
          ...(payload.text !== undefined ? { chat: { text: payload.text, fromName: init.selfName, sentAtMs: Date.now() } } : { data: payload.data }),
        },
      });
      if (!sent) return Promise.resolve({ status: 'unreachable', peerId: to, elapsedMs: 0 });
      return new Promise<SendResult>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(key);
          resolve({ status: 'timeout', peerId: to, elapsedMs: performance.now() - start });
        }, options?.timeoutMs ?? init.options?.timeoutMs ?? 5000);
        pending.set(key, { resolve, timer, start, to });
      });
    },
    handle(from, envelope) {
      if (envelope.body === 'direct') {
        const d = envelope.direct!;
        const key = Buffer.from(d.messageId ?? []).toString('hex');
        if (!seen.has(key)) {
          seen.add(key);
          if (seen.size > 10_000) seen.delete(seen.values().next().value!);
          stats.delivered++;
          init.deliver({
            id: key, kind: 'direct', from, fromName: d.chat?.fromName ?? '', text: d.chat?.text ?? undefined,
            data: d.data ?? undefined, sentAtMs: d.chat?.sentAtMs ?? undefined, receivedAtMs: Date.now(), hops: (d.hopCount ?? 0) + 1,
          });
        } else stats.duplicates++;
        init.send(from, { directAck: { messageId: d.messageId, to: d.from, from: peerIdFromString(init.self), status: v1.DirectStatus.DIRECT_STATUS_DELIVERED } });
        return true;
      }
      if (envelope.body === 'directAck') {
        const a = envelope.directAck!;
        const key = Buffer.from(a.messageId ?? []).toString('hex');
        const p = pending.get(key);
        if (p && a.from && peerIdToString(a.from) === p.to) {
          clearTimeout(p.timer);
          pending.delete(key);
          stats.acked++;
          p.resolve({ status: a.status === v1.DirectStatus.DIRECT_STATUS_DELIVERED ? 'delivered' : 'unreachable', peerId: p.to, elapsedMs: performance.now() - p.start });
        }
        return true;
      }
      return false;
    },
    neighbourDown() { /* nothing routed */ },
    stats: () => ({ ...stats, pending: pending.size }),
    stop() {
      for (const p of pending.values()) { clearTimeout(p.timer); p.resolve({ status: 'unreachable', peerId: p.to, elapsedMs: 0 }); }
      pending.clear();
    },
  };
}
