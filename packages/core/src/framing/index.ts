export { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
export { encodeFrame, frameBytes, DEFAULT_MAX_FRAME_SIZE } from './frame-encoder.js';
export {
  encodeDatagram, decodeDatagram, hasDatagramMagic, DATAGRAM_MAGIC, DATAGRAM_HEADER_SIZE, MAX_DATAGRAM_SIZE,
  type DecodedDatagram,
} from './datagram.js';
export { readVarint, writeVarint, varintLength, MAX_VARINT_BYTES, type VarintRead } from './varint.js';
export { FramePool, receivedFrames } from './frame-pool.js';
