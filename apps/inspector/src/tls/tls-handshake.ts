/** Handshake message types of interest. */
export const HandshakeType = {
  CLIENT_HELLO: 1,
  SERVER_HELLO: 2,
  NEW_SESSION_TICKET: 4,
  FINISHED: 20,
  KEY_UPDATE: 24,
} as const;

// SHA-256("HelloRetryRequest"): the random of a ServerHello that is really a HelloRetryRequest (RFC 8446 4.1.3).
const HELLO_RETRY_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

/** What the inspector needs from a ServerHello. */
export interface ServerHelloInfo {
  /** Negotiated cipher suite code point. */
  cipherSuite: number;
  /** Negotiated version from supported_versions (0x0304 for TLS 1.3), or the legacy version. */
  version: number;
  /** True for a HelloRetryRequest: the real ServerHello is still to come. */
  helloRetry: boolean;
}

/** One handshake message: its type and body. */
export interface HandshakeMessage {
  /** HandshakeType. */
  type: number;
  /** The body after the 4-byte header. */
  body: Uint8Array;
}

/** Reassembles handshake messages that may span records (or share one). Bounded to 256 KiB. */
export class HandshakeBuffer {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Feeds the content of a handshake record; returns the messages it completed. */
  push(bytes: Uint8Array): HandshakeMessage[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, bytes]) : bytes;
    const out: HandshakeMessage[] = [];
    let offset = 0;
    while (offset + 4 <= this.buffer.length) {
      const length = (this.buffer[offset + 1]! << 16) | (this.buffer[offset + 2]! << 8) | this.buffer[offset + 3]!;
      if (offset + 4 + length > this.buffer.length) break;
      out.push({ type: this.buffer[offset]!, body: this.buffer.subarray(offset + 4, offset + 4 + length) });
      offset += 4 + length;
    }
    this.buffer = this.buffer.subarray(offset);
    if (this.buffer.length > 256 * 1024) this.buffer = new Uint8Array(0);
    return out;
  }
}

/** The 32-byte client random of a ClientHello body, as hex. */
export function clientRandomOf(body: Uint8Array): string | undefined {
  return body.length >= 34 ? Buffer.from(body.subarray(2, 34)).toString('hex') : undefined;
}

/** Reads the cipher suite and version of a ServerHello body. */
export function parseServerHello(body: Uint8Array): ServerHelloInfo | undefined {
  if (body.length < 38) return undefined;
  const random = Buffer.from(body.subarray(2, 34)).toString('hex');
  const sessionIdLength = body[34]!;
  let offset = 35 + sessionIdLength;
  if (offset + 3 > body.length) return undefined;
  const cipherSuite = (body[offset]! << 8) | body[offset + 1]!;
  offset += 3; // cipher suite + legacy compression method
  let version = (body[0]! << 8) | body[1]!;
  if (offset + 2 <= body.length) {
    const end = Math.min(body.length, offset + 2 + ((body[offset]! << 8) | body[offset + 1]!));
    offset += 2;
    while (offset + 4 <= end) {
      const type = (body[offset]! << 8) | body[offset + 1]!;
      const length = (body[offset + 2]! << 8) | body[offset + 3]!;
      if (type === 0x002b && length === 2) version = (body[offset + 4]! << 8) | body[offset + 5]!;
      offset += 4 + length;
    }
  }
  return { cipherSuite, version, helloRetry: random === HELLO_RETRY_RANDOM };
}
