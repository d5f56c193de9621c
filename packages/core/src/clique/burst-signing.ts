import $protobuf from 'protobufjs/minimal.js';
import { v1, type p2p } from '../codec/wire.js';
import { MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';

const DOMAIN = Buffer.from('p2p-clique-lines/1');

/** Lines one CliqueLines burst carries at most: a client splits a bigger paste, a server refuses a bigger burst. */
export const BURST_MAX_LINES = 1024;
/** Text bytes one burst carries at most (all lines together), far below the 1 MiB frame limit. */
export const BURST_MAX_TEXT_BYTES = 256 * 1024;
/** The largest body: the texts plus at most 16 bytes of framing per line. */
const BURST_MAX_BODY_BYTES = BURST_MAX_TEXT_BYTES + 16 * BURST_MAX_LINES;
const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** The body of a burst: its lines as a serialized CliqueLineList, the bytes its signature covers. */
export function encodeBurstBody(lines: readonly p2p.v1.ICliqueLineText[]): Uint8Array {
  return v1.CliqueLineList.encode({ lines: lines as p2p.v1.ICliqueLineText[] }).finish();
}

/** The lines of a burst's body, or undefined when it is not a CliqueLineList. Never throws. */
export function decodeBurstBody(body: Uint8Array): p2p.v1.ICliqueLineText[] | undefined {
  try {
    return v1.CliqueLineList.decode(body).lines;
  } catch {
    return undefined;
  }
}

/**
 * The number of lines in a burst's body when it is well formed and within bounds: 1 to BURST_MAX_LINES lines, each
 * text at most `maxLineBytes`, at most BURST_MAX_TEXT_BYTES in all; else undefined. Reads the framing only (no text
 * is decoded), so a server checks a burst it hands on for a fraction of what decoding it would cost. Never throws.
 */
export function scanBurstBody(body: Uint8Array, maxLineBytes: number): number | undefined {
  if (body.length > BURST_MAX_BODY_BYTES) return undefined;
  try {
    const r = $protobuf.Reader.create(body);
    let lines = 0;
    let text = 0;
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag >>> 3 !== 1 || (tag & 7) !== WIRE_LEN) { r.skipType(tag & 7); continue; }
      const end = r.uint32() + r.pos;
      if (end > r.len || ++lines > BURST_MAX_LINES) return undefined;
      while (r.pos < end) {
        const t = r.uint32();
        if (t >>> 3 === 1 && (t & 7) === WIRE_LEN) {
          const n = r.uint32();
          if (n > maxLineBytes || (text += n) > BURST_MAX_TEXT_BYTES) return undefined;
          r.skip(n);
        } else if (t >>> 3 === 2 && (t & 7) !== WIRE_VARINT) return undefined;
        else r.skipType(t & 7);
      }
      if (r.pos !== end) return undefined;
    }
    return lines === 0 ? undefined : lines;
  } catch {
    return undefined;
  }
}

/**
 * The line count of a burst no bigger than any honest one (see scanBurstBody), with a key and signature of sane
 * size; else undefined. Whatever a server hands on before its signature is checked must pass this first.
 */
export function burstLineCount(m: p2p.v1.ICliqueLines, maxLineBytes: number): number | undefined {
  if ((m.authorKey?.length ?? 0) > MAX_PUBLIC_KEY_BYTES || (m.signature?.length ?? 0) > MAX_SIGNATURE_BYTES) return undefined;
  return scanBurstBody(m.body ?? new Uint8Array(), maxLineBytes);
}

/**
 * The bytes a burst's signature covers: a domain tag, the batch ID, from, to and the body exactly as carried, each
 * length-prefixed, so that no two different bursts share signing bytes and no hop has to re-encode anything.
 */
export function burstSigningBytes(m: p2p.v1.ICliqueLines): Buffer {
  const id = m.batchId ?? new Uint8Array();
  const body = m.body ?? new Uint8Array();
  const from = m.from ?? '';
  const to = m.to ?? '';
  const out = Buffer.allocUnsafe(5 * 4 + DOMAIN.length + id.length + Buffer.byteLength(from) + Buffer.byteLength(to) + body.length);
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
  o = out.writeUInt32BE(body.length, o);
  out.set(body, o);
  return out;
}

/** A signed burst: the lines' body, the author's ID and key, and one signature over all of it. */
export function signBurst(signer: MessageSigner, m: { batchId: Uint8Array; from: string; to: string; lines: readonly p2p.v1.ICliqueLineText[] }): p2p.v1.ICliqueLines {
  const unsigned = { batchId: m.batchId, from: m.from, to: m.to, body: encodeBurstBody(m.lines) };
  return { ...unsigned, authorId: peerIdFromString(signer.peerId), authorKey: signer.publicKey, signature: signer.sign(burstSigningBytes(unsigned)) };
}

/** The author's peer ID when the burst's signature proves it, else undefined. Never throws. */
export function verifyBurst(m: p2p.v1.ICliqueLines): string | undefined {
  if (m.authorId?.length !== PEER_ID_BYTES || !m.authorKey || !m.signature) return undefined;
  const author = peerIdToString(m.authorId);
  return verifyAuthor(author, m.authorKey, m.signature, burstSigningBytes(m)) ? author : undefined;
}
