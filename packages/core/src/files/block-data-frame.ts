import { FrameTooLargeError } from '../errors.js';
import { DEFAULT_MAX_FRAME_SIZE } from '../framing/frame-encoder.js';
import { varintLength, writeVarint } from '../framing/varint.js';

// Wire tags (field number << 3 | wire type 2 or 0) of Envelope.block_data (20) and BlockData's transfer_id (1),
// index (2) and data (3), as the generated encoder writes them; the test checks the bytes against it.
const ENVELOPE_BLOCK_DATA = [0xa2, 0x01];
const TRANSFER_ID = 0x0a;
const INDEX = 0x10;
const DATA = 0x1a;

/** A BlockData frame laid out before its data is known: `data` is the part of `frame` to fill (e.g. by a file read). */
export interface BlockDataFrame {
  /** The whole frame: varint length, Envelope{block_data{transfer_id, index, data}}. */
  frame: Uint8Array;
  /** The data field's bytes inside `frame`. */
  data: Uint8Array;
}

/**
 * Lays out the frame of a BlockData envelope around `dataLength` bytes still to be filled in, in one allocation, so a
 * holder reads a block from disk straight into the bytes that go to the socket (the generated encoder would copy
 * the block twice: into its writer, then behind the length prefix). The bytes equal encodeFrame's for the same
 * envelope. Throws FrameTooLargeError beyond `maxFrameSize`. `alloc` gives the buffer (a FramePool's, say).
 */
export function allocBlockDataFrame(
  transferId: Uint8Array, index: number, dataLength: number, maxFrameSize = DEFAULT_MAX_FRAME_SIZE,
  alloc: (length: number) => Uint8Array = (n) => Buffer.allocUnsafe(n),
): BlockDataFrame {
  // Proto3 leaves out fields at their default (empty bytes, index 0), as the generated encoder does.
  const idPart = transferId.length > 0 ? 1 + varintLength(transferId.length) + transferId.length : 0;
  const indexPart = index !== 0 ? 1 + varintLength(index) : 0;
  const dataPart = dataLength > 0 ? 1 + varintLength(dataLength) + dataLength : 0;
  const inner = idPart + indexPart + dataPart;
  const envelope = ENVELOPE_BLOCK_DATA.length + varintLength(inner) + inner;
  if (envelope > maxFrameSize) throw new FrameTooLargeError(envelope, maxFrameSize);
  // Unfilled bytes are never sent: the holder sends the frame only once the whole block was read into it.
  const frame = alloc(varintLength(envelope) + envelope);
  let o = writeVarint(envelope, frame, 0);
  for (const b of ENVELOPE_BLOCK_DATA) frame[o++] = b;
  o = writeVarint(inner, frame, o);
  if (idPart > 0) {
    frame[o++] = TRANSFER_ID;
    o = writeVarint(transferId.length, frame, o);
    frame.set(transferId, o);
    o += transferId.length;
  }
  if (indexPart > 0) {
    frame[o++] = INDEX;
    o = writeVarint(index, frame, o);
  }
  if (dataPart > 0) {
    frame[o++] = DATA;
    o = writeVarint(dataLength, frame, o);
  }
  return { frame, data: frame.subarray(o, o + dataLength) };
}
