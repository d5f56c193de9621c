import type { p2p } from '../codec/wire.js';
import { PEER_ID_BYTES, peerIdToString, type PeerIdString } from '../identity/peer-id.js';
import { isMessageId, oversizedText } from '../message/payload.js';
import { burstLineCount, verifyBurst } from './burst-signing.js';
import { lineProofInBounds, type LineVerifier } from './line-signing.js';

/**
 * What the line router needs of something a client wrote, whether one line (CliqueMessage) or a burst of lines to
 * one recipient (CliqueLines): both are routed, deduplicated, checked and reported the same way.
 */
export interface RoutedLine {
  /** The message ID of a line, the batch ID of a burst. */
  id: Uint8Array;
  /** The author's name as written. */
  from: string;
  /** The recipient's name, or "*". */
  to: string;
  /** The author the line names (peer ID), if well formed. */
  claimed: PeerIdString | undefined;
  /** Lines it carries (1 for a CliqueMessage). */
  lines: number;
  /** About how many bytes it holds (its text or burst body), what waiting for its check costs. */
  bytes: number;
  /** What is handed on: only the fields such a message has, the shown name set to the signed `from`. */
  wire: p2p.v1.IClique;
  /** Malformed or bigger than any honest line: refused, never handed on. */
  malformed: boolean;
  /** The author its signature proves, or undefined. */
  verify(): PeerIdString | undefined;
}

const claimedOf = (id: Uint8Array | null | undefined) => (id?.length === PEER_ID_BYTES ? peerIdToString(id) : undefined);

const malformed = (id: Uint8Array | null | undefined, from: string | null | undefined, to: string | null | undefined): RoutedLine => ({
  id: isMessageId(id) ? id : new Uint8Array(), from: from ?? '', to: to ?? '', claimed: undefined, lines: 1, bytes: 0, wire: {}, malformed: true,
  verify: () => undefined,
});

/**
 * One line as it may be routed; marked malformed when it lacks an ID or signature or is bigger than any honest line
 * (its text, key, signature or burst path): nothing handed on before its signature is checked may be.
 */
export function routedMessage(m: p2p.v1.ICliqueMessage, maxLineBytes: number, verify: LineVerifier): RoutedLine {
  const text = m.chat?.text ?? '';
  if (!isMessageId(m.messageId) || !m.signature?.length || !lineProofInBounds(m) || oversizedText(text, maxLineBytes) !== undefined) {
    return malformed(m.messageId, m.from, m.to);
  }
  const message: p2p.v1.ICliqueMessage = {
    messageId: m.messageId, from: m.from, to: m.to, chat: { text, fromName: m.from, sentAtMs: m.chat?.sentAtMs },
    authorId: m.authorId, authorKey: m.authorKey, signature: m.signature,
    ...(m.batchSize ? { batchSize: m.batchSize, batchIndex: m.batchIndex, batchPath: m.batchPath ?? [] } : {}),
  };
  return {
    id: m.messageId, from: m.from ?? '', to: m.to ?? '', claimed: claimedOf(m.authorId), lines: 1, bytes: text.length * 3 + 512, wire: { message }, malformed: false,
    verify: () => verify(message),
  };
}

/**
 * A burst as it may be routed; marked malformed when it lacks an ID or signature or its body is malformed or out of
 * bounds (burstLineCount). Its body is handed on as it came: nothing in it is decoded here.
 */
export function routedBurst(m: p2p.v1.ICliqueLines, maxLineBytes: number, verify: (m: p2p.v1.ICliqueLines) => PeerIdString | undefined = verifyBurst): RoutedLine {
  const count = isMessageId(m.batchId) && m.signature?.length ? burstLineCount(m, maxLineBytes) : undefined;
  if (count === undefined) return malformed(m.batchId, m.from, m.to);
  const lines: p2p.v1.ICliqueLines = {
    batchId: m.batchId, from: m.from, to: m.to, body: m.body, authorId: m.authorId, authorKey: m.authorKey, signature: m.signature,
  };
  return {
    id: m.batchId!, from: m.from ?? '', to: m.to ?? '', claimed: claimedOf(m.authorId), lines: count, bytes: (m.body?.length ?? 0) + 512, wire: { lines }, malformed: false,
    verify: () => verify(lines),
  };
}
