/**
 * Every error the core library raises on purpose: one class per condition, each with a stable `code`.
 * Callers branch on `code` (or `instanceof`), never on message text.
 */

/** Base class of all typed errors raised by @p2p/core. */
export class P2PError extends Error {
  /** Stable, machine-readable identifier of the condition. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A frame announced or carried more bytes than the receiver accepts. */
export class FrameTooLargeError extends P2PError {
  /** Size the frame claimed, in bytes. */
  readonly size: number;
  /** Largest size accepted, in bytes. */
  readonly limit: number;
  constructor(size: number, limit: number) {
    super('ERR_FRAME_TOO_LARGE', `frame of ${size} bytes exceeds the limit of ${limit} bytes`);
    this.size = size;
    this.limit = limit;
  }
}

/** Bytes that cannot be a frame or a message: bad length prefix, bad protobuf, bad field values. */
export class MalformedFrameError extends P2PError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_MALFORMED_FRAME', message, options);
  }
}

/** The input ended in the middle of a frame (a datagram cut short, a stream closed mid-frame). */
export class TruncatedFrameError extends P2PError {
  constructor(message: string) {
    super('ERR_TRUNCATED_FRAME', message);
  }
}

/** A datagram that does not start with our magic: stray traffic, dropped cheaply. */
export class BadMagicError extends P2PError {
  constructor() {
    super('ERR_BAD_MAGIC', 'datagram does not start with the p2p magic');
  }
}

/** A peer speaks a protocol version this node cannot talk to. */
export class UnsupportedVersionError extends P2PError {
  /** The version the peer announced. */
  readonly version: number;
  constructor(version: number, supported: readonly number[]) {
    super('ERR_UNSUPPORTED_VERSION', `protocol version ${version} is not supported (this node speaks ${supported.join(', ')})`);
    this.version = version;
  }
}

/** An envelope decoded fine but carries no message this version knows (a newer peer's addition). */
export class UnknownMessageError extends P2PError {
  constructor() {
    super('ERR_UNKNOWN_MESSAGE', 'envelope carries no message known to this version');
  }
}

/** A string or byte array that is not a well-formed peer ID. */
export class InvalidPeerIdError extends P2PError {
  constructor(detail: string) {
    super('ERR_INVALID_PEER_ID', `invalid peer ID: ${detail}`);
  }
}

/** A configuration value is missing, of the wrong type, out of range, or not a known key. */
export class ConfigError extends P2PError {
  /** The configuration key at fault, dotted (e.g. `mesh.targetDegree`). */
  readonly key: string;
  constructor(key: string, detail: string) {
    super('ERR_CONFIG', `config ${key}: ${detail}`);
    this.key = key;
  }
}

/** The node's key or certificate files cannot be read, parsed, or do not belong together. */
export class IdentityFileError extends P2PError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('ERR_IDENTITY_FILE', `identity: ${detail}`, options);
  }
}

/** The peer at the other end is not the one expected: its key does not hash to the peer ID dialled or claimed. */
export class IdentityMismatchError extends P2PError {
  /** The peer ID that was expected. */
  readonly expected: string;
  /** The peer ID actually proven (or claimed), if any. */
  readonly actual: string | undefined;
  constructor(expected: string, actual: string | undefined, detail?: string) {
    super('ERR_IDENTITY_MISMATCH', `expected peer ${expected}, got ${actual ?? 'none'}${detail ? `: ${detail}` : ''}`);
    this.expected = expected;
    this.actual = actual;
  }
}

/** A connection did not complete its handshake (TLS or Hello) in time. */
export class HandshakeTimeoutError extends P2PError {
  constructor(ms: number) {
    super('ERR_HANDSHAKE_TIMEOUT', `no handshake within ${ms} ms`);
  }
}

/** A dial failed: refused, unreachable, timed out, or the link is cut. */
export class DialError extends P2PError {
  constructor(target: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_DIAL', `dial ${target} failed: ${detail}`, options);
  }
}

/** A session closed (or was refused) before the operation could complete. */
export class SessionClosedError extends P2PError {
  /** Why the session closed, e.g. `goodbye:SHUTDOWN`, `socket-closed`, `dead`. */
  readonly reason: string;
  constructor(reason: string) {
    super('ERR_SESSION_CLOSED', `session closed: ${reason}`);
    this.reason = reason;
  }
}

/** A peer sent more frames than its rate limit allows. */
export class RateLimitedError extends P2PError {
  constructor(detail: string) {
    super('ERR_RATE_LIMITED', detail);
  }
}

/** No peer matches a name or peer ID, or the match is ambiguous. */
export class PeerNotFoundError extends P2PError {
  constructor(query: string, detail = 'no such peer') {
    super('ERR_PEER_NOT_FOUND', `${query}: ${detail}`);
  }
}

/** A ping got no pong in time. */
export class PingTimeoutError extends P2PError {
  constructor(peer: string, ms: number) {
    super('ERR_PING_TIMEOUT', `no pong from ${peer} within ${ms} ms`);
  }
}

/** An operation needs a started node. */
export class NodeNotStartedError extends P2PError {
  constructor() {
    super('ERR_NODE_NOT_STARTED', 'the node is not started');
  }
}

/** LAN discovery cannot run on the interface asked for (not an IPv4 address, no socket could be bound). */
export class LanDiscoveryError extends P2PError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('ERR_LAN_DISCOVERY', `LAN discovery disabled: ${detail}`, options);
  }
}

/** No IPv4 interface to run LAN discovery on was configured or could be found. */
export class NoLanInterfaceError extends P2PError {
  constructor() {
    super('ERR_NO_LAN_INTERFACE', 'LAN discovery disabled: no IPv4 interface to announce on');
  }
}

/** A simulated failure (kill, freeze, cut) named a node or host the in-memory network does not have. */
export class UnknownMemoryHostError extends P2PError {
  constructor(host: string) {
    super('ERR_UNKNOWN_MEMORY_HOST', `unknown memory host ${host}`);
  }
}

/** start() on a node that was already started (a node starts once and is never restarted). */
export class NodeAlreadyStartedError extends P2PError {
  /** The state the node was in. */
  readonly state: string;
  constructor(state: string) {
    super('ERR_NODE_ALREADY_STARTED', `cannot start a node that is ${state}`);
    this.state = state;
  }
}

/** A broadcast or direct payload that is not exactly one of text and data. */
export class InvalidPayloadError extends P2PError {
  constructor(detail: string) {
    super('ERR_INVALID_PAYLOAD', `invalid payload: ${detail}`);
  }
}

/** The node cannot listen on its address (in use, not an address of this host, no permission). */
export class ListenError extends P2PError {
  /** The address asked for, host:port. */
  readonly address: string;
  constructor(address: string, detail: string, options?: { cause?: unknown }) {
    super('ERR_LISTEN', `cannot listen on ${address}: ${detail}`, options);
    this.address = address;
  }
}

/** A peer name that cannot be shown safely: too long, not NFC, or with control or format characters. */
export class InvalidNameError extends P2PError {
  constructor(message: string) {
    super('ERR_INVALID_NAME', message);
  }
}

/** A message that travels beyond one session without a valid signature of the author it names. */
export class BadSignatureError extends P2PError {
  /** Which message: broadcast, direct or directAck. */
  readonly kind: string;
  constructor(kind: string, message: string) {
    super('ERR_BAD_SIGNATURE', `${kind}: ${message}`);
    this.kind = kind;
  }
}

/** A sealed direct message could not be opened: not for our key, or changed on the way. */
export class SealError extends P2PError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_SEAL', message, options);
  }
}

/** A chat text longer than the protocol allows: refused before sending, and refused on receipt. */
export class MessageTooLargeError extends P2PError {
  /** Size of the text, in UTF-8 bytes. */
  readonly size: number;
  /** Largest size accepted, in bytes. */
  readonly limit: number;
  constructor(size: number, limit: number) {
    super('ERR_MESSAGE_TOO_LARGE', `refused: too large (${size} bytes, the limit is ${limit} bytes)`);
    this.size = size;
    this.limit = limit;
  }
}

/**
 * A `persist` hook refuses to keep a message because its store is full (a quota of it, or the author's share):
 * the author's send resolves 'inbox-full'. Any other rejection of `persist` answers 'not-stored'.
 */
export class InboxFullError extends P2PError {
  constructor(detail: string, code = 'ERR_INBOX_FULL') {
    super(code, `inbox full: ${detail}`);
  }
}

/** A test or tool waited for a condition that did not come true in time. */
export class WaitTimeoutError extends P2PError {
  /** What was awaited. */
  readonly what: string;
  constructor(what: string, ms: number) {
    super('ERR_WAIT_TIMEOUT', `timed out after ${ms} ms waiting for ${what}`);
    this.what = what;
  }
}

/**
 * One sender already has as many messages waiting to be stored as its fair share allows: refused at once (the
 * author is told 'inbox-full'), so one sender's flood cannot grow the backlog the others wait behind.
 */
export class SenderBusyError extends InboxFullError {
  /** The sender whose queue is full. */
  readonly sender: string;
  constructor(sender: string, limit: number) {
    super(`${sender} already has ${limit} messages waiting to be stored`, 'ERR_SENDER_BUSY');
    this.sender = sender;
  }
}

/** The stored peer book (`peers.json` in dataDir) is too large, unreadable or malformed: the node starts without it. */
export class PeerFileError extends P2PError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('ERR_PEER_FILE', `peer file: ${detail}`, options);
  }
}
