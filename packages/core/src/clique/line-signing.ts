import type { p2p } from '../codec/wire.js';
import { verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';

const DOMAIN = Buffer.from('p2p-clique-line/1');

function field(bytes: Uint8Array): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return [len, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * The bytes a clique line's signature covers: a domain tag, then message ID, from, to, text and sent-at time, each
 * length-prefixed so that no two different lines share signing bytes.
 */
export function lineSigningBytes(m: p2p.v1.ICliqueMessage): Uint8Array {
  return Buffer.concat([
    ...field(DOMAIN), ...field(m.messageId ?? new Uint8Array()), ...field(Buffer.from(m.from ?? '')),
    ...field(Buffer.from(m.to ?? '')), ...field(Buffer.from(m.chat?.text ?? '')),
    ...field(Buffer.from(String(Number(m.chat?.sentAtMs ?? 0)))),
  ]);
}

/** Adds the author's ID, key and signature to a line. */
export function signLine(signer: MessageSigner, m: p2p.v1.ICliqueMessage): p2p.v1.ICliqueMessage {
  return { ...m, authorId: peerIdFromString(signer.peerId), authorKey: signer.publicKey, signature: signer.sign(lineSigningBytes(m)) };
}

/** The author's peer ID when the line's signature proves it, else undefined. Never throws. */
export function verifyLine(m: p2p.v1.ICliqueMessage): string | undefined {
  if (!m.authorId || m.authorId.length !== PEER_ID_BYTES || !m.authorKey || !m.signature) return undefined;
  const author = peerIdToString(m.authorId);
  return verifyAuthor(author, m.authorKey, m.signature, lineSigningBytes(m)) ? author : undefined;
}
