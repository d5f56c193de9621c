// Property tests of the envelope codec: random messages of every type round-trip; random and mutated bytes never
// raise anything but a typed error.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, ENVELOPE_CASES, envelopeArbitrary, messageArbitrary } from '../../test/proto/arbitraries.js';
import { mutate, typedOrResult } from '../../test/proto/typed-errors.js';
import { UnknownMessageError } from '../errors.js';
import { decodeEnvelope, encodeEnvelope, messageType } from './envelope-codec.js';
import { control, type Envelope } from './wire.js';

const edits = fc.array(fc.record({ kind: fc.nat(), at: fc.nat(), value: fc.nat() }), { minLength: 1, maxLength: 4 });

describe('envelope codec properties', { timeout: 90_000 }, () => {
  it.each(ENVELOPE_CASES)('a random %s envelope round-trips', (body) => {
    fc.assert(
      fc.property(envelopeArbitrary(body), (original) => {
        const bytes = encodeEnvelope(original as Envelope);
        const decoded = decodeEnvelope(bytes);
        expect(decoded.body).toBe(body);
        expect(messageType(decoded)).toBe(body);
        expect(canonical('p2p.v1.Envelope', decoded)).toStrictEqual(canonical('p2p.v1.Envelope', original));
        // Canonical: encoding what was decoded gives the same bytes.
        expect(Buffer.from(encodeEnvelope(decoded)).equals(Buffer.from(bytes))).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it.each(['p2p.control.v1.Request', 'p2p.control.v1.Response'])('a random %s round-trips', (typeName) => {
    const codec = typeName.endsWith('Request') ? control.Request : control.Response;
    fc.assert(
      fc.property(messageArbitrary(typeName), (original) => {
        const decoded = codec.decode(codec.encode(original).finish());
        expect(canonical(typeName, decoded)).toStrictEqual(canonical(typeName, original));
      }),
      { numRuns: 200 },
    );
  });

  it('random bytes decode or raise a typed error, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        typedOrResult(() => decodeEnvelope(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('mutated valid envelopes decode or raise a typed error, nothing else', () => {
    fc.assert(
      fc.property(envelopeArbitrary(), edits, (original, e) => {
        const bytes = mutate(encodeEnvelope(original as Envelope), e);
        const env = typedOrResult(() => decodeEnvelope(bytes));
        // Whatever decodes carries a known message.
        if (env) expect(ENVELOPE_CASES).toContain(env.body);
      }),
      { numRuns: 400 },
    );
  });

  it('an envelope from a newer peer (only unknown fields) is an UnknownMessageError', () => {
    fc.assert(
      // Envelope body fields are allotted up to 69 (see proto/p2p/v1/envelope.proto); anything from 1000 on is unknown.
      fc.property(fc.integer({ min: 1000, max: 2 ** 29 - 1 }), fc.uint8Array({ maxLength: 32 }), (field, payload) => {
        const tag = [];
        for (let v = field * 8 + 2; ; v = Math.floor(v / 128)) {
          if (v < 0x80) {
            tag.push(v);
            break;
          }
          tag.push((v & 0x7f) | 0x80);
        }
        const bytes = Uint8Array.from([...tag, payload.length, ...payload]);
        expect(() => decodeEnvelope(bytes)).toThrow(UnknownMessageError);
      }),
      { numRuns: 200 },
    );
    expect(() => decodeEnvelope(new Uint8Array(0))).toThrow(UnknownMessageError);
  });
});
