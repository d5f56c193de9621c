import { createHash } from 'node:crypto';
import { decodeBurstBody, messageType, peerIdToString, safeJson, v1, type DecodedEnvelope } from '@p2p/core/wire';

// Byte fields that hold a peer ID (by their camelCase name in the generated codecs): shown in text form.
const PEER_ID_FIELDS = new Set(['peerId', 'origin', 'from', 'to', 'serverId', 'exclude']);

/** A JSON-safe value of a decoded message field. */
export type FieldValue = string | number | boolean | null | FieldValue[] | { [key: string]: FieldValue };

// The JSON text of each fields object envelopeFields made, written while converting (see fieldsJsonOf).
const jsonOf = new WeakMap<object, string>();

// Converts one value and appends its JSON text to `json`. Hex and peer-ID text need no escaping and are written
// as they are: JSON.stringify and the terminal-safety scan of safeJson cost about 5 ns per character, and a
// capture full of file blocks is mostly hex. Other strings (names, texts: from the network) go through safeJson.
function convert(value: unknown, key: string, json: string[]): FieldValue {
  if (value instanceof Uint8Array) {
    const text = value.length === 32 && PEER_ID_FIELDS.has(key)
      ? peerIdToString(value)
      // A view, not Buffer.from(value): that would copy every byte field (4 KiB blocks) once more before hexing.
      : Buffer.from(value.buffer, value.byteOffset, value.length).toString('hex');
    json.push('"', text, '"');
    return text;
  }
  if (Array.isArray(value)) {
    const out: FieldValue[] = new Array(value.length);
    json.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) json.push(',');
      out[i] = convert(value[i], key, json);
    }
    json.push(']');
    return out;
  }
  if (value && typeof value === 'object') {
    const out: { [key: string]: FieldValue } = {};
    let first = true;
    json.push('{');
    for (const k in value) {
      if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
      // Keys are field names of the generated codecs: identifiers, nothing to escape.
      json.push(first ? '"' : ',"', k, '":');
      first = false;
      out[k] = convert((value as Record<string, unknown>)[k], k, json);
    }
    json.push('}');
    return out;
  }
  if (typeof value === 'string') {
    json.push(safeJson(value));
    return value;
  }
  if (typeof value === 'number') {
    json.push(Number.isFinite(value) ? String(value) : 'null');
    return value;
  }
  if (typeof value === 'boolean') {
    json.push(value ? 'true' : 'false');
    return value;
  }
  if (typeof value === 'bigint') {
    const text = value.toString();
    json.push('"', text, '"');
    return text;
  }
  json.push('null');
  return null;
}

/**
 * The JSON text (as safeJson writes it) of a fields object that envelopeFields returned, or undefined for any other
 * object. Valid as long as the object is not changed.
 */
export function fieldsJsonOf(fields: object): string | undefined {
  return jsonOf.get(fields);
}

/**
 * Every field of the message an envelope carries, JSON-safe: enums by name, 64-bit numbers as numbers, bytes as
 * hex, and peer-ID fields in their text form. Fields left at their default are included, so nothing is hidden.
 */
export function envelopeFields(envelope: DecodedEnvelope): { type: string; fields: { [key: string]: FieldValue } } {
  const type = messageType(envelope) ?? 'empty';
  const object = v1.Envelope.toObject(envelope as InstanceType<typeof v1.Envelope>, { enums: String, longs: Number, defaults: true, oneofs: false });
  const body = object[type] as unknown;
  const json: string[] = [];
  const fields = convert(body ?? {}, type, json) as { [key: string]: FieldValue };
  // A summarised message's JSON is no longer what convert wrote: it is small, and serialised when printed.
  if (!summariseBulk(envelope, fields)) jsonOf.set(fields, json.join(''));
  return { type, fields };
}

/**
 * A burst's lines travel as bytes (the signed body of CliqueLines): shown decoded, as the lines they are, with the
 * body's size; a body that is not a CliqueLineList is shown as malformed.
 */
function expandLines(m: { body?: Uint8Array | null }, fields: { [key: string]: FieldValue }): boolean {
  const lines = fields.lines as { [key: string]: FieldValue } | null | undefined;
  if (!lines || typeof lines !== 'object') return false;
  const body = m.body ?? new Uint8Array();
  const decoded = decodeBurstBody(body)?.map((l) => ({ text: l.text ?? '', sentAtMs: Number(l.sentAtMs ?? 0) }));
  lines.body = decoded ? { bytes: body.length, lines: decoded } : { bytes: body.length, malformed: true };
  return true;
}

/**
 * File blocks and hash lists are summarised, not dumped (a block is up to 1 MiB): the length and the SHA-256 of
 * a block's bytes, the number of hashes of a list. Everything else of those messages stays as decoded.
 */
function summariseBulk(envelope: DecodedEnvelope, fields: { [key: string]: FieldValue }): boolean {
  if (envelope.body === 'clique' && envelope.clique?.lines) return expandLines(envelope.clique.lines, fields);
  const data = envelope.blockData?.data;
  if (data && envelope.body === 'blockData') {
    fields.data = { bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') };
    return true;
  }
  const hashes = envelope.hashList?.hashes;
  if (hashes && envelope.body === 'hashList') {
    fields.hashes = { count: Math.floor(hashes.length / 32), bytes: hashes.length };
    return true;
  }
  return false;
}
