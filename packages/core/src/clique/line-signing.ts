import type { p2p } from '../codec/wire.js';
import { MAX_PUBLIC_KEY_BYTES, MAX_SIGNATURE_BYTES, verifyAuthor, type MessageSigner } from '../identity/message-signer.js';
import { PEER_ID_BYTES, peerIdFromString, peerIdToString } from '../identity/peer-id.js';
import { MerkleTreeSizeError } from '../trust/errors.js';
import { buildMerkleTree, MERKLE_HASH_BYTES, merkleLeafHash, walkMerklePath } from '../trust/merkle-tree.js';
import { createGenerationalMap } from '../util/generational-map.js';

const DOMAIN = Buffer.from('p2p-clique-line/1');
const BATCH_DOMAIN = Buffer.from('p2p-clique-batch/1');
/** Lines signLines signs together at most: a path of at most 6 hashes (192 bytes) rides on each line. */
export const LINE_BATCH_MAX = 64;
/** The largest burst a verifier accepts (a path of at most 10 hashes). */
const LINE_BATCH_ACCEPT = 1024;
/** The longest inclusion path a line may carry. */
const LINE_PATH_MAX = 16;

/**
 * True when a line's proof fields are no larger than any honest line's: its key, its signature, its burst size and
 * a path of 32-byte hashes. Whatever is handed on before its signature is checked must pass this first.
 */
export function lineProofInBounds(m: p2p.v1.ICliqueMessage): boolean {
  const path = m.batchPath ?? [];
  return (m.authorKey?.length ?? 0) <= MAX_PUBLIC_KEY_BYTES && (m.signature?.length ?? 0) <= MAX_SIGNATURE_BYTES
    && (m.batchSize ?? 0) <= LINE_BATCH_ACCEPT && path.length <= LINE_PATH_MAX && path.every((h) => h.length === MERKLE_HASH_BYTES);
}

function field(bytes: Uint8Array): Buffer[] {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return [len, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)];
}

/**
 * The bytes a clique line's signature covers: a domain tag, then message ID, from, to, text and sent-at time, each
 * length-prefixed so that no two different lines share signing bytes. Written into one buffer: every line of a
 * burst is hashed by its server and its recipient, so this runs for every line that moves.
 */
export function lineSigningBytes(m: p2p.v1.ICliqueMessage): Uint8Array {
  const id = m.messageId ?? new Uint8Array();
  const strings = [m.from ?? '', m.to ?? '', m.chat?.text ?? '', String(Number(m.chat?.sentAtMs ?? 0))];
  const lengths = strings.map((x) => Buffer.byteLength(x));
  const out = Buffer.allocUnsafe(4 * 6 + DOMAIN.length + id.length + lengths.reduce((a, b) => a + b, 0));
  let o = out.writeUInt32BE(DOMAIN.length, 0);
  o += DOMAIN.copy(out, o);
  o = out.writeUInt32BE(id.length, o);
  out.set(id, o);
  o += id.length;
  for (let i = 0; i < strings.length; i++) {
    o = out.writeUInt32BE(lengths[i]!, o);
    o += out.write(strings[i]!, o, 'utf8');
  }
  return out;
}

/** The bytes a burst's one signature covers: a domain tag, the number of lines, and their Merkle tree root. */
export function lineBatchSigningBytes(size: number, root: Uint8Array): Uint8Array {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(size);
  return Buffer.concat([...field(BATCH_DOMAIN), n, ...field(root)]);
}

/** Adds the author's ID, key and signature to a line (a signature over this line alone). */
export function signLine(signer: MessageSigner, m: p2p.v1.ICliqueMessage): p2p.v1.ICliqueMessage {
  return { ...m, authorId: peerIdFromString(signer.peerId), authorKey: signer.publicKey, signature: signer.sign(lineSigningBytes(m)) };
}

/**
 * Signs a burst of at most LINE_BATCH_MAX lines with one signature over their RFC 9162 Merkle root; each line
 * carries its inclusion path, so it proves its author on its own wherever it goes. The client of this version
 * sends bursts as CliqueLines (burst-signing.ts); this form stays for the lines other clients send.
 */
export function signLines(signer: MessageSigner, lines: readonly p2p.v1.ICliqueMessage[]): p2p.v1.ICliqueMessage[] {
  if (lines.length === 0) return [];
  if (lines.length > LINE_BATCH_MAX) throw new MerkleTreeSizeError(lines.length, LINE_BATCH_MAX);
  const { root, paths } = buildMerkleTree(lines.map((m) => merkleLeafHash(lineSigningBytes(m))));
  const signature = signer.sign(lineBatchSigningBytes(lines.length, root));
  const authorId = peerIdFromString(signer.peerId);
  // Written out rather than spread: a spread of each line was the costliest step of signing a burst.
  return lines.map((m, i) => ({
    messageId: m.messageId, from: m.from, to: m.to, chat: m.chat,
    authorId, authorKey: signer.publicKey, signature, batchSize: lines.length, batchIndex: i, batchPath: paths[i]!,
  }));
}

/** Checks lines' signatures; remembers the tree nodes of bursts it has proven, so a burst costs one ECDSA check. */
export type LineVerifier = (m: p2p.v1.ICliqueMessage) => string | undefined;

/**
 * A line verifier with a bounded memory of proven tree nodes (hash -> author). A node is remembered only after the
 * root above it verified under its author's key, and a line is taken on a remembered node only when the line names
 * that same author, so the memory never proves anything the signatures did not. `capacity` bounds the memory.
 */
export function createLineVerifier(capacity = 65_536): LineVerifier {
  const proven = createGenerationalMap<string, string>(capacity);
  const keyOf = (hash: Uint8Array) => Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
  const remember = (hash: Uint8Array, author: string) => proven.add(keyOf(hash), author);
  return (m) => {
    if (!m.authorId || m.authorId.length !== PEER_ID_BYTES || !m.authorKey || !m.signature) return undefined;
    const author = peerIdToString(m.authorId);
    const size = m.batchSize ?? 0;
    if (size === 0) return verifyAuthor(author, m.authorKey, m.signature, lineSigningBytes(m)) ? author : undefined;
    const path = m.batchPath ?? [];
    if (!lineProofInBounds(m)) return undefined;
    const leaf = merkleLeafHash(lineSigningBytes(m));
    const walkedNodes: Buffer[] = [];
    const walked = walkMerklePath(leaf, m.batchIndex ?? 0, size, path, (h) => {
      if (proven.get(keyOf(h)) === author) return true;
      walkedNodes.push(h);
      return false;
    });
    if (walked !== 'known' && (!walked || !verifyAuthor(author, m.authorKey, m.signature, lineBatchSigningBytes(size, walked)))) return undefined;
    // Everything this walk hashed together lies under a node the author signed (the root, or a node proven
    // before): the nodes on the way and the siblings taken in. The next line of the burst then stops at its leaf
    // or a step above it.
    for (const h of walkedNodes) remember(h, author);
    for (let i = 0; i < walkedNodes.length - (walked === 'known' ? 0 : 1) && i < path.length; i++) remember(path[i]!, author);
    return author;
  };
}

/** The author's peer ID when the line's signature proves it, else undefined (no memory between calls). Never throws. */
export function verifyLine(m: p2p.v1.ICliqueMessage): string | undefined {
  return createLineVerifier(64)(m);
}
