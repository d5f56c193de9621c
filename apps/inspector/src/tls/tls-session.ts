import type { Direction } from '../reassembly/flow-table.js';
import type { KeyLog } from './key-log.js';
import { DirectionCipher } from './tls-decrypt.js';
import { clientRandomOf, HandshakeBuffer, HandshakeType, parseServerHello } from './tls-handshake.js';
import { CIPHER_SUITES, type CipherSuite } from './tls13-keys.js';
import { ContentType, contentTypeName, type TlsRecord } from './tls-record.js';

/** What one TLS record turned into. */
export type TlsOutput =
  | { kind: 'data'; bytes: Uint8Array }
  | { kind: 'record'; contentType: string; length: number; note: string }
  | { kind: 'alert'; level: number; description: number }
  | { kind: 'error'; reason: string };

const SECRET_LABELS = {
  c2s: { handshake: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', application: 'CLIENT_TRAFFIC_SECRET_0' },
  s2c: { handshake: 'SERVER_HANDSHAKE_TRAFFIC_SECRET', application: 'SERVER_TRAFFIC_SECRET_0' },
} as const;

interface DirectionState {
  phase: 'clear' | 'handshake' | 'application';
  cipher?: DirectionCipher;
  handshake: HandshakeBuffer;
}

/**
 * Follows one TLS 1.3 connection: learns the client random and the cipher suite from the clear hellos, takes the
 * traffic secrets from the key log, decrypts each direction's records in order and returns the application data.
 * Without usable secrets it describes each record and why it stays encrypted.
 */
export class TlsSession {
  private clientRandom: string | undefined;
  private suite: CipherSuite | undefined;
  private version = 0;
  private secretsMissing: string | undefined;
  private readonly dirs: Record<Direction, DirectionState> = {
    c2s: { phase: 'clear', handshake: new HandshakeBuffer() },
    s2c: { phase: 'clear', handshake: new HandshakeBuffer() },
  };

  constructor(private readonly keyLog: KeyLog | undefined, private readonly fromStart: boolean) {}

  /** Name of the negotiated cipher suite, once known. */
  get cipherSuiteName(): string | undefined {
    return this.suite?.name;
  }

  /** True once either direction's records are being decrypted. */
  get decrypting(): boolean {
    return this.dirs.c2s.cipher !== undefined || this.dirs.s2c.cipher !== undefined;
  }

  /** Handles one record of one direction. */
  handle(direction: Direction, record: TlsRecord): TlsOutput[] {
    const state = this.dirs[direction];
    if (state.phase === 'clear' || record.type !== ContentType.APPLICATION_DATA) {
      if (record.type === ContentType.HANDSHAKE && state.phase === 'clear') {
        for (const message of state.handshake.push(record.payload)) this.onClearHandshake(message.type, message.body);
      }
      if (record.type === ContentType.ALERT && record.payload.length === 2 && state.phase === 'clear') {
        return [{ kind: 'alert', level: record.payload[0]!, description: record.payload[1]! }];
      }
      if (this.keyLog && this.decrypting && record.type !== ContentType.APPLICATION_DATA) return [];
      if (this.keyLog && record.type === ContentType.HANDSHAKE) return [];
      return [this.describe(record)];
    }
    const cipher = state.cipher;
    if (!cipher) return [this.describe(record)];
    let opened = cipher.open(record);
    if (!opened && state.phase === 'handshake') {
      // The Finished may have been lost from the capture: try the application secret.
      if (this.switchTo(direction, 'application')) opened = state.cipher!.open(record);
    }
    if (!opened) {
      return [{ kind: 'error', reason: `TLS record of ${record.payload.length} bytes failed authentication (wrong keys, or damaged)` }];
    }
    const out: TlsOutput[] = [];
    if (opened.type === ContentType.APPLICATION_DATA) {
      out.push({ kind: 'data', bytes: opened.content });
    } else if (opened.type === ContentType.HANDSHAKE) {
      for (const message of state.handshake.push(opened.content)) {
        if (message.type === HandshakeType.FINISHED && state.phase === 'handshake') this.switchTo(direction, 'application');
        else if (message.type === HandshakeType.KEY_UPDATE && state.phase === 'application') state.cipher!.update();
      }
    } else if (opened.type === ContentType.ALERT && opened.content.length >= 2) {
      out.push({ kind: 'alert', level: opened.content[0]!, description: opened.content[1]! });
    }
    return out;
  }

  private onClearHandshake(type: number, body: Uint8Array): void {
    if (type === HandshakeType.CLIENT_HELLO) {
      this.clientRandom ??= clientRandomOf(body);
      return;
    }
    if (type !== HandshakeType.SERVER_HELLO) return;
    const hello = parseServerHello(body);
    if (!hello || hello.helloRetry) return;
    this.version = hello.version;
    this.suite = CIPHER_SUITES.get(hello.cipherSuite);
    if (this.version !== 0x0304) {
      this.secretsMissing = 'TLS versions before 1.3 are not decrypted';
      return;
    }
    if (!this.suite) {
      this.secretsMissing = `cipher suite 0x${hello.cipherSuite.toString(16)} is not supported`;
      return;
    }
    if (!this.keyLog) return;
    if (!this.clientRandom) {
      this.secretsMissing = 'the ClientHello is not in the capture';
      return;
    }
    // Both directions switch to handshake keys right after the ServerHello.
    const ok = this.switchTo('c2s', 'handshake') && this.switchTo('s2c', 'handshake');
    if (!ok) this.secretsMissing = 'the key log has no secrets for this connection';
  }

  private switchTo(direction: Direction, phase: 'handshake' | 'application'): boolean {
    if (!this.suite || !this.clientRandom || !this.keyLog) return false;
    const secret = this.keyLog.lookup(this.clientRandom)?.get(SECRET_LABELS[direction][phase]);
    if (!secret) return false;
    this.dirs[direction] = { ...this.dirs[direction], phase, cipher: new DirectionCipher(this.suite, secret) };
    return true;
  }

  private describe(record: TlsRecord): TlsOutput {
    let note: string;
    if (record.type !== ContentType.APPLICATION_DATA) note = 'sent in the clear';
    else if (!this.keyLog) note = 'encrypted: a key log (--keylog FILE) is needed to decrypt it';
    else if (this.secretsMissing) note = `encrypted: ${this.secretsMissing}`;
    else if (!this.fromStart && !this.clientRandom) note = 'encrypted: the capture starts after the TLS handshake';
    else note = 'encrypted: no secrets for this connection in the key log';
    return { kind: 'record', contentType: contentTypeName(record.type), length: record.payload.length, note };
  }
}
