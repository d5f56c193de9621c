import type { InspectedMessage, MessageEndpoint } from '../decode/message.js';

/** What the user asked to see. */
export interface MessageFilter {
  /** Message types to keep ("chat" also matches messages that carry a chat line). */
  types?: string[];
  /** Peer name, peer ID or peer ID prefix (at least 4 characters), or an address "ip" / "ip:port". */
  peer?: string;
  /** Stream number. */
  stream?: number;
}

// Messages whose payload can be a chat line: `--type chat` should find them, since that is what a user means.
const CHAT_CARRIERS = new Set(['broadcast', 'direct', 'clique']);

function endpointMatches(e: MessageEndpoint, needle: string): boolean {
  const n = needle.toLowerCase();
  if (e.name && e.name.toLowerCase() === n) return true;
  if (e.peerId && n.length >= 4 && e.peerId.startsWith(n)) return true;
  return e.ip === needle || `${e.ip}:${e.port}` === needle || `[${e.ip}]:${e.port}` === needle;
}

// A clique line relayed between two servers names its clients only inside: `--peer alice` finds it there too.
function cliqueMatches(m: InspectedMessage, needle: string): boolean {
  const n = needle.toLowerCase();
  return m.clique?.clients.some((c) => c.toLowerCase() === n) ?? false;
}

function typeMatches(m: InspectedMessage, type: string): boolean {
  const t = type.toLowerCase().replace(/[-_]/g, '');
  if (m.type.toLowerCase().replace(/[-_]/g, '') === t) return true;
  // "clique.message", "clique.clientRegister", ... pick one clique operation.
  if (m.clique && `clique.${m.clique.op}`.toLowerCase().replace(/[-_]/g, '') === t) return true;
  if (t === 'chat' && CHAT_CARRIERS.has(m.type)) return JSON.stringify(m.fields).includes('"chat":{') || 'chat' in m.fields;
  return false;
}

/** True when the message passes every criterion of the filter. */
export function matchesFilter(m: InspectedMessage, filter: MessageFilter): boolean {
  if (filter.stream !== undefined && m.stream !== filter.stream) return false;
  if (filter.types && filter.types.length > 0 && !filter.types.some((t) => typeMatches(m, t))) return false;
  if (filter.peer && !endpointMatches(m.src, filter.peer) && !endpointMatches(m.dst, filter.peer) && !cliqueMatches(m, filter.peer)) return false;
  return true;
}
