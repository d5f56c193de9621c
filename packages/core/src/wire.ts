/**
 * `@p2p/core/wire`: the wire level, for tools that read or write bytes (the inspector, the control protocol, test
 * clients): generated codecs and types, envelope encoding, stream framing and discovery datagrams.
 */
export {
  v1, control, generated, PROTOCOL_VERSION, SUPPORTED_VERSIONS, Role,
  type Envelope, type DecodedEnvelope, type MessageType, type PeerInfoMessage, type p2p,
} from './codec/wire.js';
export { encodeEnvelope, decodeEnvelope, messageType } from './codec/envelope-codec.js';
export { FrameDecoder, type FrameDecoderOptions } from './framing/frame-decoder.js';
export { encodeFrame, frameBytes, DEFAULT_MAX_FRAME_SIZE } from './framing/frame-encoder.js';
export {
  encodeDatagram, decodeDatagram, hasDatagramMagic, DATAGRAM_MAGIC, DATAGRAM_HEADER_SIZE, MAX_DATAGRAM_SIZE,
  type DecodedDatagram,
} from './framing/datagram.js';
export { readVarint, writeVarint, varintLength, MAX_VARINT_BYTES, type VarintRead } from './framing/varint.js';
export { ALPN_PROTOCOL } from './transport/socket-transport.js';
export { broadcastSignedBytes, directSignedBytes, directAckSignedBytes, directSealAad, SIGNED_DOMAINS } from './trust/signed-bytes.js';
// Tools that only read bytes (the inspector) print peer IDs; importing them from here spares loading the whole core.
export { peerIdToString, PEER_ID_BYTES, type PeerIdString } from './identity/peer-id.js';
// The lines a clique burst carries as bytes (CliqueLines.body), for tools that show them.
export { decodeBurstBody, encodeBurstBody } from './clique/burst-body.js';
export { sanitizeText, safeJson } from './text/sanitize.js';
