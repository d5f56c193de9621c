import type { p2p } from '../codec/wire.js';
import { MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import { ByteWriter } from '../trust/byte-writer.js';
import { encodeBurstBody, scanBurstBody } from './burst-body.js';

// Written length-prefixed like every other field (not as a NUL-terminated tag): the layout the proto states.
const DOMAIN = Buffer.from('p2p-clique-lines/1');

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
export function burstSigningBytes(m: p2p.v1.ICliqueLines): Uint8Array {
  return new ByteWriter().bytes(DOMAIN).bytes(m.batchId).text(m.from).text(m.to).bytes(m.body).finish();
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
