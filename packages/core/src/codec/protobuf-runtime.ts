import protobuf from 'protobufjs/minimal.js';
import { MalformedFrameError } from '../errors.js';

// 64-bit fields decode to plain numbers rather than Long objects: every 64-bit value in the protocol
// (timestamps, sizes, nonces) stays below 2^53. This must run before the generated module is evaluated,
// because it reads util.Long while building message prototypes; codec/wire.ts imports this file first.
protobuf.util.Long = undefined as unknown as typeof protobuf.util.Long;
protobuf.configure();

type FastReader = protobuf.Reader & { buf: Buffer; pos: number; len: number };
const stringVerify = protobuf.Reader.prototype.stringVerify as (this: protobuf.Reader) => string;

// A proto3 string from a Buffer: protobufjs checks and decodes it through a TextDecoder over a new subarray view
// (or, under 64 bytes, by concatenating characters one at a time). A string of ASCII bytes only is valid UTF-8 and
// reads as exactly those characters: it is cut straight from the buffer, with no view and no decoder. Anything else
// takes protobufjs's own path, which refuses invalid UTF-8.
protobuf.BufferReader.prototype.stringVerify = function fastStringVerify(this: FastReader): string {
  const at = this.pos;
  const buf = this.buf;
  const first = buf[at];
  if (first === undefined || first >= 0x80) return stringVerify.call(this);
  const start = at + 1;
  const end = start + first;
  if (end > this.len) return stringVerify.call(this);
  for (let i = start; i < end; i++) if (buf[i]! >= 0x80) return stringVerify.call(this);
  this.pos = end;
  return buf.toString('latin1', start, end);
};

// uint64 as a plain number, read straight from the varint: protobufjs builds a LongBits object for every one.
// Exact below 2^53 (every 64-bit value of the protocol); as protobufjs, only the low bit of a 10th byte counts
// (the value stays below 2^64) and a varint of more than 10 bytes is refused.
protobuf.Reader.prototype.uint64 = function fastUint64(this: FastReader): number {
  const buf = this.buf;
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (this.pos >= this.len) throw new MalformedFrameError(`index out of range: ${this.pos} + 1 > ${this.len}`);
    const b = buf[this.pos++]!;
    value += (i === 9 ? b & 0x01 : b & 0x7f) * scale;
    if (b < 0x80) return value;
    scale *= 128;
  }
  throw new MalformedFrameError('invalid varint encoding');
} as unknown as protobuf.Reader['uint64'];

/** The configured protobufjs runtime, shared with the generated codecs. */
export const protobufRuntime = protobuf;
