/** TLS record content types. */
export const ContentType = {
  CHANGE_CIPHER_SPEC: 20,
  ALERT: 21,
  HANDSHAKE: 22,
  APPLICATION_DATA: 23,
  HEARTBEAT: 24,
} as const;

/** Name of a TLS content type for display. */
export function contentTypeName(type: number): string {
  switch (type) {
    case 20: return 'change_cipher_spec';
    case 21: return 'alert';
    case 22: return 'handshake';
    case 23: return 'application_data';
    case 24: return 'heartbeat';
    default: return `unknown(${type})`;
  }
}

/** Largest TLSCiphertext fragment: 2^14 plus 256 bytes of expansion (RFC 8446 section 5.2). */
export const MAX_RECORD_PAYLOAD = 16384 + 256;

/** One TLS record as it crossed the wire. */
export interface TlsRecord {
  /** Outer content type. */
  type: number;
  /** Legacy record version (0x0303 for TLS 1.2 and 1.3). */
  version: number;
  /** The 5-byte header, the additional data of TLS 1.3 AEAD. */
  header: Uint8Array;
  /** The record's payload. */
  payload: Uint8Array;
}

/** True when 5 bytes at `offset` look like a TLS record header. */
export function isRecordHeader(b: Uint8Array, offset: number): boolean {
  if (offset + 5 > b.length) return false;
  const type = b[offset]!;
  const length = (b[offset + 3]! << 8) | b[offset + 4]!;
  return type >= 20 && type <= 24 && b[offset + 1] === 3 && b[offset + 2]! <= 4 && length > 0 && length <= MAX_RECORD_PAYLOAD;
}

/** What the record reader yields: a record, or bytes that are not records (with why). */
export type RecordItem = { kind: 'record'; record: TlsRecord } | { kind: 'skipped'; size: number; reason: string };

/**
 * Splits one direction of a TLS connection into records. A header that cannot be a TLS record (damage, or a
 * capture that starts mid-record) makes it hunt for two consecutive plausible headers and resume there.
 */
export class TlsRecordReader {
  private buffer: Uint8Array = new Uint8Array(0);
  private synced: boolean;

  constructor(fromStart: boolean) {
    this.synced = fromStart;
  }

  /** Feeds in-order bytes; returns records completed by them. */
  push(bytes: Uint8Array): RecordItem[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, bytes]) : bytes;
    const out: RecordItem[] = [];
    let offset = 0;
    const b = this.buffer;
    while (offset + 5 <= b.length) {
      if (!this.synced) {
        // Hunt for a plausible header whose record is followed by another plausible header.
        let p = offset;
        let found = false;
        for (; p + 5 <= b.length; p++) {
          if (!isRecordHeader(b, p)) continue;
          const next = p + 5 + ((b[p + 3]! << 8) | b[p + 4]!);
          if (next + 5 > b.length) break; // wait for the bytes that confirm or refute it
          if (isRecordHeader(b, next)) {
            found = true;
            break;
          }
        }
        if (p > offset) out.push({ kind: 'skipped', size: p - offset, reason: 'not at a TLS record boundary' });
        offset = p;
        if (!found) break;
        this.synced = true;
      }
      if (!isRecordHeader(b, offset)) {
        this.synced = false;
        out.push({ kind: 'skipped', size: 1, reason: 'bytes are not a TLS record header' });
        offset += 1;
        continue;
      }
      const length = (b[offset + 3]! << 8) | b[offset + 4]!;
      if (offset + 5 + length > b.length) break;
      out.push({
        kind: 'record',
        record: {
          type: b[offset]!,
          version: (b[offset + 1]! << 8) | b[offset + 2]!,
          header: b.subarray(offset, offset + 5),
          payload: b.subarray(offset + 5, offset + 5 + length),
        },
      });
      offset += 5 + length;
    }
    this.buffer = offset > 0 ? b.slice(offset) : b;
    return out;
  }

  /** Bytes left over (a record cut by the end of the capture). */
  get pendingBytes(): number {
    return this.buffer.length;
  }

  /** Forgets buffered bytes after a hole in the stream and resynchronises. */
  reset(): void {
    this.buffer = new Uint8Array(0);
    this.synced = false;
  }
}

const ALERTS: Record<number, string> = {
  0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 22: 'record_overflow', 40: 'handshake_failure',
  42: 'bad_certificate', 43: 'unsupported_certificate', 44: 'certificate_revoked', 45: 'certificate_expired',
  46: 'certificate_unknown', 47: 'illegal_parameter', 48: 'unknown_ca', 49: 'access_denied', 50: 'decode_error',
  51: 'decrypt_error', 70: 'protocol_version', 71: 'insufficient_security', 80: 'internal_error',
  86: 'inappropriate_fallback', 90: 'user_canceled', 109: 'missing_extension', 110: 'unsupported_extension',
  112: 'unrecognized_name', 116: 'certificate_required', 120: 'no_application_protocol',
};

/** Name of a TLS alert description (RFC 8446 section 6). */
export function alertName(description: number): string {
  return ALERTS[description] ?? `alert(${description})`;
}

/** True when `b` holds a plausible record header followed right after its record by another (a mid-stream TLS hint). */
export function hasRecordPair(b: Uint8Array, maxScan = 65536): boolean {
  for (let p = 0; p + 5 <= b.length && p < maxScan; p++) {
    if (!isRecordHeader(b, p)) continue;
    if (isRecordHeader(b, p + 5 + ((b[p + 3]! << 8) | b[p + 4]!))) return true;
  }
  return false;
}
