import type { p2p } from '../codec/wire.js';
import { verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { peerIdToString } from '../identity/peer-id.js';

const TAG = Buffer.from('p2p-found-v1');

function field(bytes: Uint8Array | string): Buffer {
  const b = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/**
 * The bytes a holder signs for a Found: a domain tag and every field but the signature and the hop count, each
 * length-prefixed, so the signature does not depend on how a protobuf encoder orders or packs fields.
 */
export function foundSigningBytes(f: p2p.v1.IFound): Uint8Array {
  const nums = Buffer.alloc(16);
  nums.writeBigUInt64BE(BigInt(Number(f.size ?? 0)), 0);
  nums.writeUInt32BE(f.blockSize ?? 0, 8);
  nums.writeUInt32BE(f.port ?? 0, 12);
  return Buffer.concat([
    TAG, field(f.queryId ?? new Uint8Array()), field(f.peerId ?? new Uint8Array()), field(f.to ?? new Uint8Array()),
    field(f.fileName ?? ''), nums, field(f.sha256 ?? new Uint8Array()), field(f.root ?? new Uint8Array()),
    field(f.publicKey ?? new Uint8Array()), field(f.holderName ?? ''), field(f.host ?? ''),
  ]);
}

/** Fills in the holder's key and signature. */
export function signFound(found: p2p.v1.IFound, signer: MessageSigner): p2p.v1.IFound {
  const unsigned = { ...found, publicKey: signer.publicKey };
  return { ...unsigned, signature: signer.sign(foundSigningBytes(unsigned)) };
}

/** True when the Found was signed by the key it carries and that key is the peer ID it names. */
export function verifyFound(found: p2p.v1.IFound): boolean {
  if (!found.peerId || found.peerId.length !== 32 || !found.publicKey || !found.signature) return false;
  return verifyAuthor(peerIdToString(found.peerId), found.publicKey, found.signature, foundSigningBytes(found));
}
