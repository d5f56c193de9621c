import type { p2p } from '../codec/wire.js';
import { ByteWriter } from './byte-writer.js';

// The exact bytes an author signs (ByteWriter): a domain tag, then each field in a fixed order. hop_count is left
// out: it changes on the way.

/** Domain tags of the three signed message kinds. */
export const SIGNED_DOMAINS = {
  broadcast: 'p2p-toolkit/v1 Broadcast',
  direct: 'p2p-toolkit/v1 Direct',
  directAck: 'p2p-toolkit/v1 DirectAck',
} as const;

/** Payload kinds in the signed bytes: what the oneof (or the sealed form) holds. */
const PAYLOAD_NONE = 0;
const PAYLOAD_CHAT = 1;
const PAYLOAD_DATA = 2;
const PAYLOAD_SEALED = 3;

interface PayloadFields {
  chat?: p2p.v1.IChat | null;
  data?: Uint8Array | null;
  sealedEnc?: Uint8Array | null;
  sealedPayload?: Uint8Array | null;
}

function payload(w: ByteWriter, m: PayloadFields): ByteWriter {
  if (m.sealedPayload && m.sealedPayload.length > 0) return w.u8(PAYLOAD_SEALED).bytes(m.sealedEnc).bytes(m.sealedPayload);
  if (m.chat) return w.u8(PAYLOAD_CHAT).text(m.chat.text).text(m.chat.fromName).u64(m.chat.sentAtMs as number | undefined);
  if (m.data instanceof Uint8Array) return w.u8(PAYLOAD_DATA).bytes(m.data);
  return w.u8(PAYLOAD_NONE);
}

/** What the origin of a Broadcast signs: message_id, origin, max_hops and the payload. */
export function broadcastSignedBytes(b: p2p.v1.IBroadcast): Uint8Array {
  const w = new ByteWriter().tag(SIGNED_DOMAINS.broadcast).bytes(b.messageId).bytes(b.origin).u32(b.maxHops);
  return payload(w, b).finish();
}

/** What the author of a Direct signs: message_id, from, to, max_hops and the payload (sealed or not). */
export function directSignedBytes(d: p2p.v1.IDirect): Uint8Array {
  const w = new ByteWriter().tag(SIGNED_DOMAINS.direct).bytes(d.messageId).bytes(d.from).bytes(d.to).u32(d.maxHops);
  return payload(w, d).finish();
}

/** What the writer of a DirectAck signs: message_id, to, from and the status. */
export function directAckSignedBytes(a: p2p.v1.IDirectAck): Uint8Array {
  return new ByteWriter().tag(SIGNED_DOMAINS.directAck).bytes(a.messageId).bytes(a.to).bytes(a.from).u32(a.status ?? 0).finish();
}

/** The additional data a sealed payload is bound to, so a ciphertext cannot be moved to another message or author. */
export function directSealAad(d: p2p.v1.IDirect): Uint8Array {
  return new ByteWriter().tag(`${SIGNED_DOMAINS.direct} sealed`).bytes(d.messageId).bytes(d.from).bytes(d.to).finish();
}
