// The only errors decoding untrusted bytes may raise: anything else (a RangeError from the protobuf runtime, a
// TypeError) would be an uncaught exception in a session or a discovery socket.
import { expect } from 'vitest';
import {
  BadMagicError, FrameTooLargeError, MalformedFrameError, P2PError, TruncatedFrameError, UnknownMessageError, UnsupportedVersionError,
} from '../../src/errors.js';

/** The typed errors of the decoding paths. */
export const DECODING_ERRORS = [
  MalformedFrameError, TruncatedFrameError, FrameTooLargeError, BadMagicError, UnsupportedVersionError, UnknownMessageError,
] as const;

const CODES = new Set(['ERR_MALFORMED_FRAME', 'ERR_TRUNCATED_FRAME', 'ERR_FRAME_TOO_LARGE', 'ERR_BAD_MAGIC', 'ERR_UNSUPPORTED_VERSION', 'ERR_UNKNOWN_MESSAGE']);

/** Asserts that `err` is one of the decoding errors, with its stable code. */
export function expectDecodingError(err: unknown): asserts err is P2PError {
  if (!(err instanceof P2PError) || !DECODING_ERRORS.some((C) => err instanceof C)) {
    throw new Error(`expected a typed decoding error, got ${String(err)}`, { cause: err });
  }
  expect(CODES.has(err.code), err.code).toBe(true);
}

/** Runs `fn`; returns its result, or undefined when it threw a typed decoding error (any other throw fails). */
export function typedOrResult<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    expectDecodingError(err);
    return undefined;
  }
}

/** Random edits of valid bytes: bit flips, overwritten bytes, cuts, insertions, duplications. */
export function mutate(bytes: Uint8Array, edits: { kind: number; at: number; value: number }[]): Uint8Array {
  let out = Uint8Array.from(bytes);
  for (const { kind, at, value } of edits) {
    const i = out.length === 0 ? 0 : at % out.length;
    switch (kind % 5) {
      case 0:
        if (out.length) out[i] = out[i]! ^ (1 << (value % 8));
        break;
      case 1:
        if (out.length) out[i] = value & 0xff;
        break;
      case 2:
        out = out.subarray(0, i);
        break;
      case 3:
        out = Uint8Array.from([...out.subarray(0, i), value & 0xff, ...out.subarray(i)]);
        break;
      default:
        out = Uint8Array.from([...out.subarray(0, i), ...out.subarray(i, i + (value % 16)), ...out.subarray(i)]);
    }
  }
  return out;
}
