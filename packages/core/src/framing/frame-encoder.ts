import { v1, type Envelope } from '../codec/wire.js';
import { FrameTooLargeError } from '../errors.js';
import { readVarint, varintLength, writeVarint } from './varint.js';

/** Default largest frame payload accepted or sent: room for a 1 MiB file block plus its header. */
export const DEFAULT_MAX_FRAME_SIZE = 1024 * 1024 + 4096;

/** Prefixes an encoded message with its varint length. */
export function frameBytes(payload: Uint8Array, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): Uint8Array {
  if (payload.length > maxFrameSize) throw new FrameTooLargeError(payload.length, maxFrameSize);
  const out = new Uint8Array(varintLength(payload.length) + payload.length);
  const offset = writeVarint(payload.length, out, 0);
  out.set(payload, offset);
  return out;
}

/** Encodes an envelope as one length-delimited TCP frame. */
export function encodeFrame(envelope: Envelope, maxFrameSize = DEFAULT_MAX_FRAME_SIZE): Uint8Array {
  // Written with its prefix in one go, into protobufjs's pooled buffer: prefixing afterwards cost a second buffer
  // per frame, one of its own (a new ArrayBuffer), and a clique server sends two frames for every line.
  const frame = v1.Envelope.encodeDelimited(envelope).finish();
  const payload = frame.length - readVarint(frame, 0, Number.MAX_SAFE_INTEGER)!.length;
  if (payload > maxFrameSize) throw new FrameTooLargeError(payload, maxFrameSize);
  return frame;
}
