// Interop with an independent protobuf implementation: protoc reads the bytes our codecs write (golden vectors, the
// payloads of our TCP frames and UDP datagrams, random envelopes) exactly as we mean them, and our codecs read the
// bytes protoc writes. Fails, never skips, when protoc is missing: CI installs protobuf-compiler.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeEnvelope, encodeEnvelope, v1, type Envelope } from '../../src/codec/index.js';
import { DATAGRAM_HEADER_SIZE, FrameDecoder, decodeDatagram, encodeDatagram, encodeFrame, MAX_DATAGRAM_SIZE } from '../../src/framing/index.js';
import { canonical, envelopeArbitrary } from '../proto/arbitraries.js';
import { toTextFormat } from '../proto/text-format.js';
import { CODECS, JSON_OPTIONS, loadVectors, type Vector } from '../proto/vectors.js';
import { protocDecode, protocEncode, requireProtoc } from './protoc.js';

const vectors = loadVectors();
const envelopes = vectors.filter((v) => v.type === 'p2p.v1.Envelope');
const hexOf = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const plain = (o: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
const envelopeJson = (env: object): Record<string, unknown> => plain(v1.Envelope.toObject(env as Parameters<typeof v1.Envelope.toObject>[0], JSON_OPTIONS));

beforeAll(() => {
  requireProtoc();
});

describe('protoc interop', { timeout: 90_000 }, () => {
  it('has protoc', () => {
    expect(requireProtoc()).toMatch(/^libprotoc \d+\.\d+/);
  });

  describe.each(vectors.map((v) => [v.name, v] as [string, Vector]))('vector %s', (_name, v) => {
    it('protoc --decode reads the bytes as the vector JSON says', () => {
      expect(protocDecode(v.type, Buffer.from(v.hex, 'hex'))).toBe(toTextFormat(v.type, v.json));
    });

    it('protoc --encode writes exactly the vector bytes, and our codec reads them back', () => {
      const bytes = protocEncode(v.type, toTextFormat(v.type, v.json));
      expect(hexOf(bytes)).toBe(v.hex);
      const codec = CODECS[v.type];
      expect(plain(codec.toObject(codec.decode(bytes), JSON_OPTIONS))).toStrictEqual(v.json);
    });
  });

  it('protoc reads the payload of every TCP frame of a stream split at odd places', () => {
    const stream = Buffer.concat(envelopes.map((v) => encodeFrame(v1.Envelope.fromObject(v.json))));
    const decoder = new FrameDecoder();
    const payloads: Uint8Array[] = [];
    for (let at = 0, step = 1; at < stream.length; at += step, step = (step * 7 + 3) % 97 || 1) {
      payloads.push(...decoder.push(stream.subarray(at, at + step)));
    }
    decoder.end();
    expect(payloads).toHaveLength(envelopes.length);
    payloads.forEach((payload, i) => {
      expect(protocDecode('p2p.v1.Envelope', payload)).toBe(toTextFormat('p2p.v1.Envelope', envelopes[i]!.json));
    });
  });

  it('protoc reads the envelope behind every UDP datagram header', () => {
    let checked = 0;
    for (const v of envelopes) {
      const env = v1.Envelope.fromObject(v.json);
      if (encodeEnvelope(env).length + DATAGRAM_HEADER_SIZE > MAX_DATAGRAM_SIZE) continue;
      const datagram = encodeDatagram(env);
      expect(decodeDatagram(datagram).envelope.body).toBe(Object.keys(v.json)[0]);
      expect(protocDecode('p2p.v1.Envelope', datagram.subarray(DATAGRAM_HEADER_SIZE))).toBe(toTextFormat('p2p.v1.Envelope', v.json));
      checked++;
    }
    expect(checked).toBeGreaterThan(envelopes.length / 2);
  });

  it('protoc and our codec agree on random envelopes of every type, both ways', () => {
    // A fixed seed keeps this deterministic; the random-input search itself lives in the property tests.
    const samples = fc.sample(envelopeArbitrary(), { numRuns: 60, seed: 20_251_122 });
    for (const original of samples) {
      const [payload] = new FrameDecoder().push(encodeFrame(original as Envelope));
      const ours = decodeEnvelope(payload!);
      expect(canonical('p2p.v1.Envelope', ours)).toStrictEqual(canonical('p2p.v1.Envelope', original));
      const json = envelopeJson(ours);
      const text = protocDecode('p2p.v1.Envelope', payload!);
      expect(text).toBe(toTextFormat('p2p.v1.Envelope', json));
      expect(hexOf(protocEncode('p2p.v1.Envelope', text))).toBe(hexOf(payload!));
    }
  });

  it('our codec reads a hand-written text-format message encoded by protoc', () => {
    // Fields out of order and escapes: protoc canonicalises, we must read the same message.
    const text = [
      'found {',
      '  size: 6442450944',
      '  file_name: "caf\\303\\251/notes \\"v2\\".txt"',
      '  sha256: "\\000\\001\\002\\377"',
      '  block_size: 262144',
      '}',
    ].join('\n');
    const env = decodeEnvelope(protocEncode('p2p.v1.Envelope', text));
    expect(env.body).toBe('found');
    expect(env.found!.size).toBe(6_442_450_944);
    expect(env.found!.fileName).toBe('café/notes "v2".txt');
    expect(hexOf(env.found!.sha256!)).toBe('000102ff');
    expect(env.found!.blockSize).toBe(262_144);
  });

  it('our codec reads a protoc-encoded control request and response', () => {
    const req = CODECS['p2p.control.v1.Request'].decode(protocEncode('p2p.control.v1.Request', 'id: 9 send { to: "bob" text: "hé" timeout_ms: 100 }'));
    expect(plain(CODECS['p2p.control.v1.Request'].toObject(req, JSON_OPTIONS))).toStrictEqual({ id: 9, send: { to: 'bob', text: 'hé', timeoutMs: 100 } });
    const res = CODECS['p2p.control.v1.Response'].decode(protocEncode('p2p.control.v1.Response', 'ping { rtt_ms: -0.5 peer_id: "x" } id: 9'));
    expect(plain(CODECS['p2p.control.v1.Response'].toObject(res, JSON_OPTIONS))).toStrictEqual({ id: 9, ping: { peerId: 'x', rttMs: -0.5 } });
  });
});
