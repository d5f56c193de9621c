/**
 * `@p2p/core`: what applications, the daemon and the CLI program against. The wire level (codecs, framing) is
 * `@p2p/core/wire`; the in-memory network and test helpers are `@p2p/core/testing`. Internals (sessions, engines,
 * the mesh) are not exported: they are reached through a node.
 */

// A node.
export { createNode, AGENT } from './node/create-node.js';
export type { P2PNode, NodeConfig, NodeEvents, NodeStats, PeerSnapshot } from './node/types.js';
export type { NodeExtensions, EnvelopeHandler, LanEnvelopeHandler, SendOptions } from './node/extensions.js';
export type { InboundMessage } from './message/inbound-message.js';
export { MAX_CHAT_TEXT_BYTES } from './message/payload.js';
export type { SendResult } from './direct/types.js';
export type { BroadcastResult } from './broadcast/types.js';
export { resolvePeer } from './node/peer-view.js';

// Configuration.
export {
  normalizeConfig, DEFAULT_LISTEN_PORT, DEFAULT_LAN_PORT, DEFAULT_MULTICAST_GROUP, type ResolvedNodeConfig,
} from './node/config.js';
export {
  NodeConfigSchema, HostSchema, Ipv4Schema, PortSchema, HostPortSchema, HostPortTextSchema, MaskSchema, PeerIdSchema,
  checkConfigValue, isHost, type ValueCheck,
} from './node/config-schema.js';
export { parseMask } from './transport/subnet.js';
export { formatHostPort, type HostPort } from './transport/host-port.js';
export type { NodeRole } from './identity/node-role.js';

// Identity and signed authorship.
export {
  peerIdToString, peerIdFromString, isPeerIdString, shortPeerId, PEER_ID_BYTES, PEER_ID_LENGTH, type PeerIdString,
} from './identity/peer-id.js';
export { loadOrCreateIdentity, generateIdentity, KEY_FILE, CERT_FILE, type NodeIdentity } from './identity/node-identity.js';
export { createMessageSigner, verifyAuthor, type MessageSigner } from './identity/message-signer.js';

// Custom transports (NodeConfig.transport).
export type {
  Transport, TransportFactory, TransportContext, TransportConnection, TransportListener, DialOptions,
  DiscoveryChannel, DiscoveryChannelOptions, DatagramHandler,
} from './transport/types.js';

// Logging and time.
export { silentLogger, type Logger } from './util/logger.js';
export { systemClock, type Clock, type TimerHandle } from './util/clock.js';

// Errors: one class per condition, each with a stable code; every package's errors extend P2PError.
export * from './errors.js';

// Wire-level names the daemon, the CLI and the inspector imported from here before `@p2p/core/wire` existed;
// kept so that code written against them keeps compiling. New code imports them from `@p2p/core/wire`.
export {
  v1, control, PROTOCOL_VERSION, type Envelope, type DecodedEnvelope, type p2p,
  decodeEnvelope, messageType, FrameDecoder, encodeFrame, frameBytes, DEFAULT_MAX_FRAME_SIZE,
  encodeDatagram, decodeDatagram, hasDatagramMagic, readVarint,
} from './wire.js';

// The server clique: the engine the daemon's server role runs, its names, claims and signed lines.
export * from './clique/index.js';

// File sharing: share, search and verified, resumable, multi-source downloads on a node's extensions.
export * from './files/index.js';
// Fairness: per-sender scheduling for work done on behalf of peers (the node runs `persist` through one).
export * from './flow/index.js';
// Safe output: every name and text from the network goes through these before a terminal or a log sees it.
export { sanitizeText, safeJson, hasUnsafeCharacters, nameProblem, validateName, MAX_PEER_NAME_LENGTH } from './text/index.js';
// The exact bytes an author signs (for messages built by hand: tests, other implementations).
export { broadcastSignedBytes, directSignedBytes, directAckSignedBytes, SIGNED_DOMAINS } from './trust/signed-bytes.js';
