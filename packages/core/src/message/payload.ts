/**
 * The application payload shared by Broadcast and Direct: message IDs, the chat/data oneof, and the message the
 * application is handed.
 */
import { randomFillSync } from 'node:crypto';
import { InvalidPayloadError, MessageTooLargeError } from '../errors.js';
import type { p2p } from '../codec/wire.js';
import type { PeerIdString } from '../identity/peer-id.js';
import type { InboundMessage } from './inbound-message.js';

/** Bytes in a message ID. */
export const MESSAGE_ID_BYTES = 16;

/** Longest chat text, in UTF-8 bytes: a longer one is refused when sent and dropped when received. */
export const MAX_CHAT_TEXT_BYTES = 64 * 1024;

/** Size of a chat text in UTF-8 bytes when it is over `max` (default MAX_CHAT_TEXT_BYTES), else undefined. */
export function oversizedText(text: string | undefined, max = MAX_CHAT_TEXT_BYTES): number | undefined {
  // A UTF-16 unit is at most 3 UTF-8 bytes: most texts are settled without counting.
  if (text === undefined || text.length * 3 <= max) return undefined;
  const size = Buffer.byteLength(text, 'utf8');
  return size > max ? size : undefined;
}

// Message IDs are cut from a pool filled 256 at a time: one call into the CSPRNG per ID cost more than the rest of
// a clique line's handling on the client.
const ID_POOL = Buffer.alloc(MESSAGE_ID_BYTES * 256);
let idPoolAt = ID_POOL.length;

/** A fresh random message ID (its own copy: nothing else holds its bytes). */
export function newMessageId(): Uint8Array {
  if (idPoolAt === ID_POOL.length) {
    randomFillSync(ID_POOL);
    idPoolAt = 0;
  }
  const id = Buffer.from(ID_POOL.subarray(idPoolAt, idPoolAt + MESSAGE_ID_BYTES));
  idPoolAt += MESSAGE_ID_BYTES;
  return id;
}

/** Hex form of a message ID (or any byte string), the key of every cache. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** True when `id` has the shape of a message ID. */
export function isMessageId(id: Uint8Array | null | undefined): id is Uint8Array {
  return id != null && id.length === MESSAGE_ID_BYTES;
}

/** The oneof payload shared by Broadcast and Direct. */
export interface WirePayload {
  chat?: p2p.v1.IChat | null;
  data?: Uint8Array | null;
}

/**
 * Turns an application payload into the wire payload: text becomes a Chat signed with our name and clock.
 * Exactly one of text and data must be given, since the wire carries one or the other.
 */
export function toWirePayload(payload: { text?: string; data?: Uint8Array }, fromName: string, nowMs: number): WirePayload {
  const hasText = typeof payload.text === 'string';
  const hasData = payload.data instanceof Uint8Array;
  if (hasText === hasData) throw new InvalidPayloadError('give exactly one of text and data');
  if (hasText) {
    const size = oversizedText(payload.text);
    if (size !== undefined) throw new MessageTooLargeError(size, MAX_CHAT_TEXT_BYTES);
  }
  if (hasText) return { chat: { text: payload.text, fromName, sentAtMs: nowMs } };
  return { data: payload.data };
}

/** What the application sees of a wire payload; undefined when the message carries neither chat nor data. */
export function fromWirePayload(
  message: WirePayload,
): { text?: string; data?: Uint8Array; fromName: string; sentAtMs?: number } | undefined {
  if (message.chat) {
    const sent = Number(message.chat.sentAtMs ?? 0);
    return { text: message.chat.text ?? '', fromName: message.chat.fromName ?? '', ...(sent > 0 ? { sentAtMs: sent } : {}) };
  }
  if (message.data instanceof Uint8Array) return { data: message.data, fromName: '' };
  return undefined;
}

/** What the application sees of a wire payload (see fromWirePayload). */
export type AppPayload = NonNullable<ReturnType<typeof fromWirePayload>>;

/** Builds the message handed to the application, the same way for broadcasts and direct messages. */
export function toInboundMessage(
  kind: InboundMessage['kind'], id: string, from: PeerIdString, payload: AppPayload, receivedAtMs: number, hops: number,
): InboundMessage {
  return {
    id,
    kind,
    from,
    fromName: payload.fromName,
    ...(payload.text !== undefined ? { text: payload.text } : {}),
    ...(payload.data !== undefined ? { data: payload.data } : {}),
    ...(payload.sentAtMs !== undefined ? { sentAtMs: payload.sentAtMs } : {}),
    receivedAtMs,
    hops,
  };
}
