import { messageType, peerIdToString, v1, type DecodedEnvelope } from '@p2p/core/wire';

// Byte fields that hold a peer ID (by their camelCase name in the generated codecs): shown in text form.
const PEER_ID_FIELDS = new Set(['peerId', 'origin', 'from', 'to', 'serverId', 'exclude']);

/** A JSON-safe value of a decoded message field. */
export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

function convert(value: unknown, key: string): FieldValue {
  if (value instanceof Uint8Array) {
    if (value.length === 32 && PEER_ID_FIELDS.has(key)) return peerIdToString(value);
    // A view, not Buffer.from(value): that would copy every byte field (4 KiB blocks) once more before hexing.
    return Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
  }
  if (Array.isArray(value)) {
    const out: FieldValue[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = convert(value[i], key);
    return out;
  }
  if (value && typeof value === 'object') {
    const out: { [key: string]: FieldValue } = {};
    for (const k in value) {
      if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = convert((value as Record<string, unknown>)[k], k);
    }
    return out;
  }
  if (typeof value === 'bigint') return value.toString();
  return (value ?? null) as FieldValue;
}

/**
 * Every field of the message an envelope carries, JSON-safe: enums by name, 64-bit numbers as numbers, bytes as
 * hex, and peer-ID fields in their text form. Fields left at their default are included, so nothing is hidden.
 */
export function envelopeFields(envelope: DecodedEnvelope): { type: string; fields: { [key: string]: FieldValue } } {
  const type = messageType(envelope) ?? 'empty';
  const object = v1.Envelope.toObject(envelope as InstanceType<typeof v1.Envelope>, { enums: String, longs: Number, defaults: true, oneofs: false });
  const body = object[type] as unknown;
  return { type, fields: (convert(body ?? {}, type) as { [key: string]: FieldValue }) ?? {} };
}
