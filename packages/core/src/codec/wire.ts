import './protobuf-runtime.js';
// First: it swaps in a cheaper oneof setter that the generated codecs pick up when they are evaluated.
import './fast-oneof.js';
import { p2p } from '../gen/wire.js';

/** Generated codecs for every message of the wire protocol (package p2p.v1). */
export const v1 = p2p.v1;
/** Generated codecs for the daemon's control API (package p2p.control.v1). */
export const control = p2p.control.v1;
/** The generated namespace as a whole, for reflection-style access by type name. */
export const generated = p2p;

/** Protocol version spoken by this build; carried by Hello and by every datagram header. */
export const PROTOCOL_VERSION = 1;
/** Protocol versions this build can talk to. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** A decoded or to-be-encoded envelope of the wire protocol. */
export type Envelope = p2p.v1.IEnvelope;
/** The name of the message an envelope carries (the oneof case). */
export type MessageType = NonNullable<p2p.v1.Envelope['body']>;
/** Role of a node, as carried on the wire. */
export const Role = p2p.v1.Role;
/** Role of a node, as carried on the wire. */
export type Role = p2p.v1.Role;
/** Information about a peer as carried on the wire. */
export type PeerInfoMessage = p2p.v1.IPeerInfo;
/** A decoded envelope whose oneof case is known to be set. */
export type DecodedEnvelope = p2p.v1.Envelope & { body: MessageType };
/** The generated namespace's types (p2p.v1.IHello, p2p.control.v1.IRequest, ...). */
export type { p2p } from '../gen/wire.js';
