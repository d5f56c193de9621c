// Property tests of UDP datagrams: random envelopes round-trip (or are refused as too large, never sent
// fragmented); random, foreign and mutated datagrams only raise typed errors; other versions are recognised.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonical, envelopeArbitrary } from '../../test/proto/arbitraries.js';
import { mutate, typedOrResult } from '../../test/proto/typed-errors.js';
import { encodeEnvelope } from '../codec/envelope-codec.js';
import { PROTOCOL_VERSION, SUPPORTED_VERSIONS, type Envelope } from '../codec/wire.js';
import { BadMagicError, FrameTooLargeError, UnsupportedVersionError } from '../errors.js';
import { DATAGRAM_HEADER_SIZE, DATAGRAM_MAGIC, MAX_DATAGRAM_SIZE, decodeDatagram, encodeDatagram, hasDatagramMagic } from './datagram.js';

const edits = fc.array(fc.record({ kind: fc.nat(), at: fc.nat(), value: fc.nat() }), { minLength: 1, maxLength: 4 });
const otherVersion = fc.integer({ min: 0, max: 255 }).filter((v) => !SUPPORTED_VERSIONS.includes(v));

describe('datagram properties', { timeout: 90_000 }, () => {
  it('random envelopes round-trip, or are refused before sending when they would not fit', () => {
    fc.assert(
      fc.property(envelopeArbitrary(), (original) => {
        const size = DATAGRAM_HEADER_SIZE + encodeEnvelope(original as Envelope).length;
        if (size > MAX_DATAGRAM_SIZE) {
          expect(() => encodeDatagram(original as Envelope)).toThrow(FrameTooLargeError);
          return;
        }
        const datagram = encodeDatagram(original as Envelope);
        expect(datagram.length).toBe(size);
        expect(hasDatagramMagic(datagram)).toBe(true);
        const { version, envelope } = decodeDatagram(datagram);
        expect(version).toBe(PROTOCOL_VERSION);
        expect(canonical('p2p.v1.Envelope', envelope)).toStrictEqual(canonical('p2p.v1.Envelope', original));
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes, with or without our magic, only raise typed errors', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 1500 }), (withMagic, tail) => {
        const bytes = withMagic ? Uint8Array.from([...DATAGRAM_MAGIC, PROTOCOL_VERSION, ...tail]) : tail;
        typedOrResult(() => decodeDatagram(bytes));
      }),
      { numRuns: 400 },
    );
  });

  it('foreign traffic (no magic) is a BadMagicError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: MAX_DATAGRAM_SIZE }).filter((b) => !hasDatagramMagic(b)), (bytes) => {
        expect(() => decodeDatagram(bytes)).toThrow(BadMagicError);
      }),
      { numRuns: 200 },
    );
  });

  it('mutated valid datagrams only raise typed errors', () => {
    fc.assert(
      fc.property(envelopeArbitrary(), edits, (original, e) => {
        const body = encodeEnvelope(original as Envelope);
        const valid = Uint8Array.from([...DATAGRAM_MAGIC, PROTOCOL_VERSION, ...body]);
        typedOrResult(() => decodeDatagram(mutate(valid, e)));
      }),
      { numRuns: 400 },
    );
  });

  it('a datagram of another protocol version is an UnsupportedVersionError naming that version', () => {
    fc.assert(
      fc.property(envelopeArbitrary(), otherVersion, (original, version) => {
        const body = encodeEnvelope(original as Envelope);
        if (body.length + DATAGRAM_HEADER_SIZE > MAX_DATAGRAM_SIZE) return;
        // Whatever follows the header: a future version may change the body entirely.
        for (const bytes of [encodeDatagram(original as Envelope, version), Uint8Array.from([...DATAGRAM_MAGIC, version, 0xff, 0xff])]) {
          let error: unknown;
          try {
            decodeDatagram(bytes);
          } catch (err) {
            error = err;
          }
          expect(error).toBeInstanceOf(UnsupportedVersionError);
          expect((error as UnsupportedVersionError).version).toBe(version);
          expect((error as UnsupportedVersionError).code).toBe('ERR_UNSUPPORTED_VERSION');
        }
      }),
      { numRuns: 200 },
    );
  });
});
