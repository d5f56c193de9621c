export { v1, control, generated, PROTOCOL_VERSION, SUPPORTED_VERSIONS, Role } from './wire.js';
export type { Envelope, DecodedEnvelope, MessageType, PeerInfoMessage, p2p } from './wire.js';
export { encodeEnvelope, decodeEnvelope, messageType } from './envelope-codec.js';
