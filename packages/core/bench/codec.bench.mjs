// The wire codec against JSON, measured in the same run: encode and decode ops/s and MB/s for a direct chat line
// and for a 256 KiB file block, each inside an Envelope as it crosses the wire.
//
// JSON cannot carry bytes, so its objects hold every bytes field as a base64 string. Two JSON rows:
//   json      JSON.stringify / JSON.parse of the object already in that shape (the cost of JSON alone);
//   json+b64  what a JSON wire format really costs: Uint8Array -> base64 and string -> UTF-8 bytes on encode,
//             the reverse on decode.
// MB/s counts each format's own encoded bytes (1 MB = 10^6 bytes); ops/s is the like-for-like comparison.
import { createHash, randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { decodeEnvelope, encodeEnvelope } from '../dist/wire.js';
import { measureInterleaved } from './lib/measure.mjs';
import { emitJson } from './lib/emit.mjs';
import { formatRate, formatTable } from './lib/table.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const BATCH_MS = Number(process.env.BENCH_BATCH_MS ?? 120);

const chunk = randomBytes(256 * 1024);
const messages = [
  {
    name: 'chat (Direct)',
    envelope: {
      direct: {
        messageId: randomBytes(16),
        from: randomBytes(32),
        to: randomBytes(32),
        hopCount: 0,
        maxHops: 8,
        chat: { text: 'Are we still on for the review at 3pm? I pushed the fixes to the branch.', fromName: 'alice', sentAtMs: Date.now() },
      },
    },
  },
  {
    name: '256 KiB chunk (BlockData)',
    envelope: { blockData: { transferId: randomBytes(16), index: 7, data: chunk, sha256: createHash('sha256').update(chunk).digest() } },
  },
];

/** The object in JSON's shape: every Uint8Array as base64. */
function toJsonShape(value) {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonShape);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonShape(v);
    return out;
  }
  return value;
}

/** Names of the fields that hold bytes, so JSON.parse can turn their base64 back into bytes. */
function bytesFields(value, names = new Set()) {
  if (value && typeof value === 'object' && !(value instanceof Uint8Array)) {
    for (const [k, v] of Object.entries(value)) {
      if (v instanceof Uint8Array) names.add(k);
      else bytesFields(v, names);
    }
  }
  return names;
}

function check(m) {
  const back = decodeEnvelope(encodeEnvelope(m.envelope));
  const body = Object.keys(m.envelope)[0];
  if (back.body !== body) throw new Error(`${m.name}: protobuf round trip lost the message`);
  const viaJson = m.jsonDecode(m.jsonEncode());
  if (!isDeepStrictEqual(toJsonShape(viaJson), toJsonShape(m.envelope))) throw new Error(`${m.name}: JSON round trip differs`);
}

/** Measures and prints the codec-vs-JSON table. */
export default async function run() {
  const cases = [];
  for (const m of messages) {
    const shaped = toJsonShape(m.envelope);
    const names = bytesFields(m.envelope);
    const reviver = (k, v) => (names.has(k) && typeof v === 'string' ? Buffer.from(v, 'base64') : v);
    m.jsonEncode = () => Buffer.from(JSON.stringify(toJsonShape(m.envelope)), 'utf8');
    m.jsonDecode = (buf) => JSON.parse(buf.toString('utf8'), reviver);
    check(m);

    const pb = encodeEnvelope(m.envelope);
    const jsonText = JSON.stringify(shaped);
    const jsonBytes = m.jsonEncode();
    m.formats = [
      { format: 'protobuf', size: pb.length, encode: () => encodeEnvelope(m.envelope), decode: () => decodeEnvelope(pb) },
      { format: 'json', size: Buffer.byteLength(jsonText), encode: () => JSON.stringify(shaped), decode: () => JSON.parse(jsonText) },
      { format: 'json+b64', size: jsonBytes.length, encode: m.jsonEncode, decode: () => m.jsonDecode(jsonBytes) },
    ];
    for (const f of m.formats) {
      cases.push({ id: `${m.name}|${f.format}|encode`, fn: f.encode });
      cases.push({ id: `${m.name}|${f.format}|decode`, fn: f.decode });
    }
  }

  const results = measureInterleaved(cases, { rounds: ROUNDS, batchMs: BATCH_MS });
  const ops = (m, f, op) => results.get(`${m.name}|${f.format}|${op}`).opsPerSec;
  const rows = messages.flatMap((m) =>
    m.formats.map((f) => ({
      message: m.name,
      format: f.format,
      size: f.size.toLocaleString('en-US'),
      encOps: formatRate(ops(m, f, 'encode')),
      encMBs: formatRate((ops(m, f, 'encode') * f.size) / 1e6),
      decOps: formatRate(ops(m, f, 'decode')),
      decMBs: formatRate((ops(m, f, 'decode') * f.size) / 1e6),
    })),
  );

  console.log(`## codec: protobuf Envelope vs JSON (median of ${ROUNDS} interleaved rounds of ~${BATCH_MS} ms per case)`);
  console.log(
    formatTable(
      [
        { key: 'message', title: 'message', align: 'left' },
        { key: 'format', title: 'format', align: 'left' },
        { key: 'size', title: 'bytes' },
        { key: 'encOps', title: 'encode ops/s' },
        { key: 'encMBs', title: 'encode MB/s' },
        { key: 'decOps', title: 'decode ops/s' },
        { key: 'decMBs', title: 'decode MB/s' },
      ],
      rows,
    ),
  );
  console.log('json: JSON.stringify/JSON.parse of the object with bytes already as base64 strings;');
  console.log('json+b64: also converting bytes <-> base64 and string <-> UTF-8 bytes. MB/s counts each format\'s own bytes.');
  for (const m of messages) {
    const [pb, json, jsonB64] = m.formats;
    const ratio = (op, other) => (ops(m, pb, op) / ops(m, other, op)).toFixed(2);
    console.log(
      `${m.name}: protobuf is ${(pb.size / json.size).toFixed(2)}x the size of json; ` +
        `ops/s vs json encode ${ratio('encode', json)}x decode ${ratio('decode', json)}x, ` +
        `vs json+b64 encode ${ratio('encode', jsonB64)}x decode ${ratio('decode', jsonB64)}x`,
    );
  }
  emitJson('core-codec', {
    cases: messages.map((m) => ({
      message: m.name,
      formats: m.formats.map((f) => ({ format: f.format, bytes: f.size, encodeOps: ops(m, f, 'encode'), decodeOps: ops(m, f, 'decode') })),
    })),
  });
}
