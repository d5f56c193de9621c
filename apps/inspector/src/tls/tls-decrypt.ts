import { createDecipheriv } from 'node:crypto';
import type { TlsRecord } from './tls-record.js';
import { deriveTrafficKeys, nextTrafficSecret, recordNonce, type CipherSuite, type TrafficKeys } from './tls13-keys.js';

/** A decrypted TLS 1.3 record: the real content type and the content without padding. */
export interface DecryptedRecord {
  /** Inner content type (handshake, application_data, alert). */
  type: number;
  /** The plaintext content. */
  content: Uint8Array;
}

const TAG_LENGTH = 16;

/**
 * Opens one TLSCiphertext with the AEAD of its suite: nonce = IV XOR sequence number, additional data = the record
 * header. Returns undefined when authentication fails (wrong keys, damaged record).
 */
export function openRecord(suite: CipherSuite, keys: TrafficKeys, sequence: bigint, record: TlsRecord): DecryptedRecord | undefined {
  if (record.payload.length < TAG_LENGTH + 1) return undefined;
  const ciphertext = record.payload.subarray(0, record.payload.length - TAG_LENGTH);
  const tag = record.payload.subarray(record.payload.length - TAG_LENGTH);
  let plaintext: Buffer;
  try {
    // The cast picks the AEAD overload; suite.cipher is always one of the three AEAD names.
    const decipher = createDecipheriv(suite.cipher as 'aes-128-gcm', keys.key, recordNonce(keys.iv, sequence), { authTagLength: TAG_LENGTH });
    decipher.setAAD(record.header, { plaintextLength: ciphertext.length });
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
  // TLSInnerPlaintext: content, then the real type, then zero padding (RFC 8446 section 5.2).
  let end = plaintext.length - 1;
  while (end >= 0 && plaintext[end] === 0) end--;
  if (end < 0) return undefined;
  return { type: plaintext[end]!, content: plaintext.subarray(0, end) };
}

/** The record protection state of one direction: current secret, derived keys and sequence number. */
export class DirectionCipher {
  private keys: TrafficKeys;
  /** Sequence number of the next record. */
  sequence = 0n;

  constructor(readonly suite: CipherSuite, private secret: Uint8Array) {
    this.keys = deriveTrafficKeys(suite, secret);
  }

  /**
   * Decrypts the next record of this direction; the sequence number advances only on success. When records were
   * lost from the capture the sequence number is behind, so a few later numbers are tried too.
   */
  open(record: TlsRecord, maxLost = 8): DecryptedRecord | undefined {
    for (let lost = 0n; lost <= BigInt(maxLost); lost++) {
      const result = openRecord(this.suite, this.keys, this.sequence + lost, record);
      if (result) {
        this.sequence += lost + 1n;
        return result;
      }
    }
    return undefined;
  }

  /** Applies a KeyUpdate: next generation of the traffic secret, sequence back to 0. */
  update(): void {
    this.secret = nextTrafficSecret(this.suite, this.secret);
    this.keys = deriveTrafficKeys(this.suite, this.secret);
    this.sequence = 0n;
  }
}
