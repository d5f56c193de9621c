import type { InspectedMessage, MessageEndpoint } from './message.js';

const key = (e: MessageEndpoint): string => `${e.ip}|${e.port}`;

/**
 * Names endpoints of messages sent before their peer introduced itself (the first Hello of a session goes out
 * before the other side's): once the whole capture is decoded, every address that a Hello or an Announce tied to a
 * peer gets that peer on every message. Only for complete, in-memory decodes (the web UI); streaming output cannot
 * look ahead.
 */
export function backfillPeers(messages: InspectedMessage[]): void {
  const known = new Map<string, { peerId: string; name?: string }>();
  for (const m of messages) {
    for (const e of [m.src, m.dst]) if (e.peerId && !known.has(key(e))) known.set(key(e), { peerId: e.peerId, ...(e.name !== undefined ? { name: e.name } : {}) });
  }
  for (const m of messages) {
    for (const e of [m.src, m.dst]) {
      if (e.peerId) continue;
      const peer = known.get(key(e));
      if (peer) Object.assign(e, peer);
    }
  }
}
