import { peerIdFromString } from '@p2p/core';
import { v1 } from '@p2p/core/wire';
import type { FieldValue } from '../../src/decode/fields.js';

const PEER_ID_FIELDS = new Set(['peerId', 'origin', 'from', 'to', 'serverId', 'exclude']);

// Every enum value name of p2p.v1 -> its number (protobufjs enum objects map names to numbers).
const ENUM_NUMBERS = new Map<string, number>();
for (const value of Object.values(v1)) {
  if (value && typeof value === 'object') {
    for (const [name, n] of Object.entries(value as Record<string, unknown>)) if (typeof n === 'number' && /^[A-Z0-9_]+$/.test(name)) ENUM_NUMBERS.set(name, n);
  }
}

const snake = (s: string): string => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const colonHex = (hex: string): string => (hex.match(/../g) ?? []).join(':');

/**
 * Our decoded fields as sorted "snake_name=value" leaves, the way tshark's protobuf dissector prints them: fields at
 * their proto3 default are absent on the wire, so they are skipped; bytes as colon hex; enums as numbers.
 */
export function ourLeaves(fields: { [key: string]: FieldValue }, bytesFields: Set<string>): string[] {
  const out: string[] = [];
  const walk = (value: FieldValue, key: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => walk(v, key));
    if (value && typeof value === 'object') return Object.entries(value).forEach(([k, v]) => walk(v, k));
    if (value === null || value === 0 || value === '' || value === false) return;
    let text: string;
    if (typeof value === 'string' && PEER_ID_FIELDS.has(key) && /^[a-z2-7]{52}$/.test(value)) text = colonHex(Buffer.from(peerIdFromString(value)).toString('hex'));
    else if (typeof value === 'string' && ENUM_NUMBERS.has(value)) {
      const n = ENUM_NUMBERS.get(value)!;
      if (n === 0) return;
      text = String(n);
    } else if (typeof value === 'string' && bytesFields.has(key)) text = colonHex(value);
    else if (value === true) text = '1'; // tshark prints bools as 1
    else text = String(value);
    out.push(`${snake(key)}=${text}`);
  };
  walk(fields, '');
  return out.sort();
}

/** Leaves of one packet's protobuf layer in tshark's -T json output (pbf_as_hf on). */
export function tsharkLeaves(layer: unknown): string[] {
  const out: string[] = [];
  const walk = (o: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(o)) {
      const m = /^pbf\.p2p\.v1\.(\w+)\.(\w+)$/.exec(k);
      if (m && !(`${k}_tree` in o)) for (const item of Array.isArray(v) ? v : [v]) if (typeof item === 'string') out.push(`${m[2]}=${item}`);
      if (v && typeof v === 'object') walk(v as Record<string, unknown>);
    }
  };
  walk(layer as Record<string, unknown>);
  return out.sort();
}
