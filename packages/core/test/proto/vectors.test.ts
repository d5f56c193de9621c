// Golden vectors, both ways: encoding each vector's JSON gives exactly its bytes, decoding its bytes gives exactly
// its JSON. And coverage by reflection over the .proto: every oneof case and every message type of p2p.v1 and
// p2p.control.v1 appears in some vector, so a message added without a vector fails here.
import type protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, generated, type Envelope } from '../../src/codec/index.js';
import {
  DATAGRAM_MAGIC, FrameDecoder, decodeDatagram, encodeDatagram, encodeFrame, MAX_DATAGRAM_SIZE, varintLength, writeVarint,
} from '../../src/framing/index.js';
import { fullName, messageType, messageTypesOf, oneofCasesOf } from './schema.js';
import { VECTOR_DEFINITIONS } from './vector-definitions.mjs';
import { CODECS, JSON_OPTIONS, loadVectors, type StaticCodec, type Vector } from './vectors.js';

const vectors = loadVectors();
const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
// Round-trips through JSON text so both sides compare as plain data (no Buffers, no prototypes).
const plain = (o: unknown): unknown => JSON.parse(JSON.stringify(o));

/** Walks a vector's JSON with the reflected schema: records message types and oneof cases, refuses unknown keys. */
function walk(type: protobuf.Type, json: Record<string, unknown>, seen: Set<string>, at: string): void {
  seen.add(fullName(type));
  for (const [key, value] of Object.entries(json)) {
    const field = type.fields[key];
    if (!field) throw new Error(`${at}: ${fullName(type)} has no field ${key}`);
    if (field.partOf) seen.add(`${fullName(type)}.${field.partOf.name}.${field.name}`);
    if (field.resolvedType && 'fields' in field.resolvedType) {
      const sub = field.resolvedType as protobuf.Type;
      const items = field.repeated ? (value as Record<string, unknown>[]) : [value as Record<string, unknown>];
      items.forEach((item, i) => walk(sub, item, seen, `${at}.${key}${field.repeated ? `[${i}]` : ''}`));
    }
  }
}

describe('golden vectors', () => {
  it('exist for every top-level type', () => {
    expect(new Set(vectors.map((v) => v.type))).toEqual(new Set(Object.keys(CODECS)));
  });

  describe.each(vectors.map((v) => [v.name, v] as [string, Vector]))('%s', (_name, v) => {
    const codec = CODECS[v.type];

    it('encodes its JSON to exactly its bytes', () => {
      expect(hexOf(codec.encode(codec.fromObject(v.json)).finish())).toBe(v.hex);
    });

    it('decodes its bytes to exactly its JSON', () => {
      const decoded = codec.decode(Buffer.from(v.hex, 'hex'));
      expect(plain(codec.toObject(decoded, JSON_OPTIONS))).toStrictEqual(v.json);
      // Re-encoding what was decoded gives the same bytes: nothing lost, nothing reordered.
      expect(hexOf(codec.encode(decoded).finish())).toBe(v.hex);
    });

    if (v.type === 'p2p.v1.Envelope') {
      it('travels unchanged through decodeEnvelope, a TCP frame and a UDP datagram', () => {
        const bytes = Buffer.from(v.hex, 'hex');
        const env = decodeEnvelope(bytes);
        expect(Object.keys(v.json)).toEqual([env.body]);
        expect(hexOf(encodeEnvelope(env))).toBe(v.hex);

        const prefix = new Uint8Array(varintLength(bytes.length));
        writeVarint(bytes.length, prefix, 0);
        const frame = encodeFrame(codec.fromObject(v.json) as Envelope);
        expect(hexOf(frame)).toBe(hexOf(prefix) + v.hex);
        const [fromStream] = new FrameDecoder().pushEnvelopes(frame);
        expect(plain(codec.toObject(fromStream!, JSON_OPTIONS))).toStrictEqual(v.json);

        if (bytes.length + 5 <= MAX_DATAGRAM_SIZE) {
          const datagram = encodeDatagram(env);
          expect(hexOf(datagram)).toBe(`${hexOf(DATAGRAM_MAGIC)}01${v.hex}`);
          expect(plain(codec.toObject(decodeDatagram(datagram).envelope, JSON_OPTIONS))).toStrictEqual(v.json);
        }
      });
    }
  });

  it('match their definitions one to one (generate-vectors.mjs was run, nobody edited a file by hand)', () => {
    const files = vectors.map(({ file, name, type, description, json }) => ({ file, name, type, description, json }));
    const defined = VECTOR_DEFINITIONS.map(({ file, name, type, description, json }) => ({ file, name, type, description, json }));
    const byFile = (a: { file: string }, b: { file: string }) => a.file.localeCompare(b.file);
    expect(files.sort(byFile)).toStrictEqual(defined.sort(byFile));
  });

  it('cover every oneof case and every message type of both packages', () => {
    const seen = new Set<string>();
    for (const v of vectors) walk(messageType(v.type), v.json, seen, v.file);
    const missingCases = [...oneofCasesOf('p2p.v1'), ...oneofCasesOf('p2p.control.v1')].filter((c) => !seen.has(c));
    expect(missingCases, 'oneof cases without a golden vector').toEqual([]);
    const missingTypes = [...messageTypesOf('p2p.v1'), ...messageTypesOf('p2p.control.v1')]
      .map(fullName)
      .filter((t) => !seen.has(t));
    expect(missingTypes, 'message types no golden vector contains').toEqual([]);
  });

  it('see the same oneof cases as the generated codecs (the generated code is not stale)', () => {
    const sample = (f: protobuf.Field): unknown =>
      f.resolvedType && 'fields' in f.resolvedType ? {} : f.type === 'bytes' ? 'AQ==' : f.type === 'string' ? 'x' : f.type === 'bool' ? true : 1;
    for (const type of [...messageTypesOf('p2p.v1'), ...messageTypesOf('p2p.control.v1')]) {
      if (type.oneofsArray.length === 0) continue;
      // generated.v1.Clique for p2p.v1.Clique, generated.control.v1.Request for p2p.control.v1.Request.
      const codec = fullName(type)
        .split('.')
        .slice(1)
        .reduce<unknown>((ns, part) => (ns as Record<string, unknown> | undefined)?.[part], generated) as StaticCodec | undefined;
      expect(codec, `generated codec for ${fullName(type)}`).toBeDefined();
      for (const oneof of type.oneofsArray) {
        for (const field of oneof.fieldsArray) {
          // A case the generated code does not know would decode as an unknown field and leave the oneof unset.
          const msg = codec!.decode(codec!.encode(codec!.fromObject({ [field.name]: sample(field) })).finish()) as Record<string, unknown>;
          expect(msg[oneof.name], `${fullName(type)}.${oneof.name}.${field.name}`).toBe(field.name);
        }
      }
    }
  });
});
