import { MalformedFrameError, UnknownMessageError } from '../errors.js';
import { v1, type DecodedEnvelope, type Envelope, type MessageType } from './wire.js';

/** Encodes an envelope to protobuf bytes (no length prefix). */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return v1.Envelope.encode(envelope).finish();
}

/**
 * Decodes protobuf bytes into an envelope.
 * Throws MalformedFrameError for bytes that are not a valid Envelope, and UnknownMessageError for a valid
 * envelope that carries nothing this version knows.
 */
export function decodeEnvelope(bytes: Uint8Array): DecodedEnvelope {
  let env;
  try {
    env = v1.Envelope.decode(bytes);
  } catch (err) {
    throw new MalformedFrameError(`not a valid Envelope: ${(err as Error).message}`, { cause: err });
  }
  if (!env.body) throw new UnknownMessageError();
  return env as DecodedEnvelope;
}

/** Returns the name of the message an envelope carries, or undefined for an empty one. */
export function messageType(envelope: Envelope): MessageType | undefined {
  for (const key of Object.keys(envelope) as (keyof Envelope)[]) {
    if (envelope[key] != null && key !== 'body') return key as MessageType;
  }
  return undefined;
}
