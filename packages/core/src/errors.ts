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

/** A broadcast or direct payload that is not exactly one of text and data. */
export class InvalidPayloadError extends P2PError {
  constructor(detail: string) {
    super('ERR_INVALID_PAYLOAD', `invalid payload: ${detail}`);
  }
}
