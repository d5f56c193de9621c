import { createHash } from 'node:crypto';
import { peerIdToString } from '@p2p/core';
import { messageType, v1, type DecodedEnvelope } from '@p2p/core/wire';

// Byte fields that hold a peer ID (by their camelCase name in the generated codecs): shown in text form.
const PEER_ID_FIELDS = new Set(['peerId', 'origin', 'from', 'to', 'serverId', 'exclude']);

/** A JSON-safe value of a decoded message field. */
export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

function convert(value: unknown, key: string): FieldValue {
  if (value instanceof Uint8Array) {
    if (value.length === 32 && PEER_ID_FIELDS.has(key)) return peerIdToString(value);
    return Buffer.from(value).toString('hex');
  }
  if (Array.isArray(value)) return value.map((v) => convert(v, key));
  if (value && typeof value === 'object') {
    const out: { [key: string]: FieldValue } = {};
    for (const [k, v] of Object.entries(value)) out[k] = convert(v, k);
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
  const fields = (convert(body ?? {}, type) as { [key: string]: FieldValue }) ?? {};
  summariseBulk(envelope, fields);
  return { type, fields };
}

/**
 * File blocks and hash lists are summarised, not dumped (a block is up to 1 MiB): the length and the SHA-256 of
 * a block's bytes, the number of hashes of a list. Everything else of those messages stays as decoded.
 */
function summariseBulk(envelope: DecodedEnvelope, fields: { [key: string]: FieldValue }): void {
  const data = envelope.blockData?.data;
  if (data && envelope.body === 'blockData') {
    fields.data = { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
  }
  const hashes = envelope.hashList?.hashes;
  if (hashes && envelope.body === 'hashList') {
    fields.hashes = { count: Math.floor(hashes.length / 32), bytes: hashes.length };
  }
}
