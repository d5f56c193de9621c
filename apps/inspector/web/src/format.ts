import type { Endpoint, Filter, Message } from './types.js';

/** A short label for an endpoint: name, else short peer ID, else address. */
export function endpointLabel(e: Endpoint): string {
  const address = e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
  if (e.name) return `${e.name} (${address})`;
  if (e.peerId) return `${e.peerId.slice(0, 10)} (${address})`;
  return address;
}

/** The node a message endpoint belongs to in the graph: the peer when known, else the address. */
export function nodeKey(e: Endpoint): string {
  return e.peerId ?? (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
}

/** One-line summary of a message's fields. */
export function summary(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) {
    if (v === '' || v === 0 || v === false || v === null || (Array.isArray(v) && v.length === 0)) continue;
    let text = typeof v === 'object' ? JSON.stringify(v) : String(v);
    if (text.length > 40) text = `${text.slice(0, 37)}...`;
    parts.push(`${k}=${text}`);
  }
  return parts.join(' ');
}

function endpointMatches(e: Endpoint, needle: string): boolean {
  const n = needle.toLowerCase();
  return (e.name ?? '').toLowerCase() === n || (n.length >= 4 && (e.peerId ?? '').startsWith(n)) || e.ip === needle || `${e.ip}:${e.port}` === needle;
}

/** True when a message passes the filter controls. */
export function matches(m: Message, f: Filter): boolean {
  if (f.type && m.type !== f.type) return false;
  if (f.stream !== '' && m.stream !== Number(f.stream)) return false;
  if (f.peer && !endpointMatches(m.src, f.peer.trim()) && !endpointMatches(m.dst, f.peer.trim())) return false;
  if (f.text && !JSON.stringify(m.fields).toLowerCase().includes(f.text.toLowerCase())) return false;
  return true;
}

/** Classic hex dump: offset, 16 bytes in hex, printable ASCII. */
export function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let offset = 0; offset < hex.length / 2; offset += 16) {
    const bytes = (hex.slice(offset * 2, offset * 2 + 32).match(/../g) ?? []).map((b) => parseInt(b, 16));
    const hexPart = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47);
    const ascii = bytes.map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hexPart}  ${ascii}`);
  }
  return lines.join('\n');
}
