import type { p2p } from '../codec/wire.js';
import { MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';

const DOMAIN = Buffer.from('p2p-clique-lines/1');

/** Lines one CliqueLines burst carries at most: a client splits a bigger paste, a server refuses a bigger burst. */
export const BURST_MAX_LINES = 256;
/** Text bytes one burst carries at most (all lines together), far below the 1 MiB frame limit. */
export const BURST_MAX_TEXT_BYTES = 256 * 1024;

/** A line's text size in UTF-8 bytes, counted only when its length alone does not settle it against `max`. */
function textBytesOver(text: string, max: number): number {
  return text.length * 3 <= max ? text.length : Buffer.byteLength(text, 'utf8');
}

/**
 * True when a burst is no bigger than any honest one: 1 to BURST_MAX_LINES lines, each at most `maxLineBytes` of
 * text, at most BURST_MAX_TEXT_BYTES in all, and a key and signature of sane size. Whatever a server hands on before
 * its signature is checked must pass this first.
 */
export function burstInBounds(m: p2p.v1.ICliqueLines, maxLineBytes: number): boolean {
  const lines = m.lines;
  if (!lines || lines.length === 0 || lines.length > BURST_MAX_LINES) return false;
  if ((m.authorKey?.length ?? 0) > MAX_PUBLIC_KEY_BYTES || (m.signature?.length ?? 0) > MAX_SIGNATURE_BYTES) return false;
  let total = 0;
  for (const l of lines) {
    const n = textBytesOver(l.text ?? '', maxLineBytes);
    if (n > maxLineBytes) return false;
    total += n;
  }
  return total <= BURST_MAX_TEXT_BYTES;
}

/**
 * The bytes a burst's signature covers: a domain tag, the batch ID, from, to, the number of lines, then each line's
 * text and sent-at time; every field length-prefixed, so that no two different bursts share signing bytes.
 */
export function burstSigningBytes(m: p2p.v1.ICliqueLines): Buffer {
  const id = m.batchId ?? new Uint8Array();
  const from = m.from ?? '';
  const to = m.to ?? '';
  const lines = m.lines ?? [];
  let size = 4 + DOMAIN.length + 4 + id.length + 4 + Buffer.byteLength(from) + 4 + Buffer.byteLength(to) + 4;
  for (const l of lines) size += 4 + Buffer.byteLength(l.text ?? '') + 8;
  const out = Buffer.allocUnsafe(size);
  let o = out.writeUInt32BE(DOMAIN.length, 0);
  o += DOMAIN.copy(out, o);
  o = out.writeUInt32BE(id.length, o);
  out.set(id, o);
  o += id.length;
  for (const s of [from, to]) {
    const n = out.write(s, o + 4, 'utf8');
    out.writeUInt32BE(n, o);
    o += 4 + n;
  }
  o = out.writeUInt32BE(lines.length, o);
  for (const l of lines) {
    const n = out.write(l.text ?? '', o + 4, 'utf8');
    out.writeUInt32BE(n, o);
    o += 4 + n;
    const at = Math.max(0, Math.trunc(Number(l.sentAtMs ?? 0))) || 0;
    o = out.writeUInt32BE(Math.floor(at / 2 ** 32) >>> 0, o);
    o = out.writeUInt32BE(at >>> 0, o);
  }
  return out;
}

/** Adds the author's ID, key and one signature over the whole burst. */
export function signBurst(signer: MessageSigner, m: p2p.v1.ICliqueLines): p2p.v1.ICliqueLines {
  return {
    batchId: m.batchId, from: m.from, to: m.to, lines: m.lines,
    authorId: peerIdFromString(signer.peerId), authorKey: signer.publicKey, signature: signer.sign(burstSigningBytes(m)),
  };
}

/** The author's peer ID when the burst's signature proves it, else undefined. Never throws. */
export function verifyBurst(m: p2p.v1.ICliqueLines): string | undefined {
  if (m.authorId?.length !== PEER_ID_BYTES || !m.authorKey || !m.signature) return undefined;
  const author = peerIdToString(m.authorId);
  return verifyAuthor(author, m.authorKey, m.signature, burstSigningBytes(m)) ? author : undefined;
}
