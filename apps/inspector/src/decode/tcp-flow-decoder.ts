import type { DecodedEnvelope } from '@p2p/core/wire';
import type { Timestamp } from '../capture/types.js';
import type { Direction } from '../reassembly/flow-table.js';
import type { KeyLog } from '../tls/key-log.js';
import { alertName, hasRecordPair, isRecordHeader, TlsRecordReader, type TlsRecord } from '../tls/tls-record.js';
import { TlsSession } from '../tls/tls-session.js';
import type { FieldValue } from './fields.js';
import { checkFrameHeader, proveFrameAt } from './frame-scan.js';
import { FrameSplitter, type SplitItem } from './frame-splitter.js';
import { TLS_ALERT, TLS_RECORD, UNDECODABLE } from './message.js';
import type { InspectorStats } from './stats.js';

/** What one direction of a TCP flow produced: a frame, or a non-message line (TLS record, alert, undecodable). */
export type FlowItem =
  | { kind: 'frame'; envelope: DecodedEnvelope; raw: Uint8Array; size: number; time: Timestamp; packet: number }
  | { kind: 'line'; type: string; fields: { [key: string]: FieldValue }; raw: Uint8Array; size: number; time: Timestamp; packet: number };

const NO_BYTES = new Uint8Array(0);
// Bytes of a connection joined mid-stream looked at before deciding between TLS and bare frames.
const EARLY_LIMIT = 64 * 1024;

function hasProvableFrame(b: Uint8Array): boolean {
  for (let p = 0; p < b.length; p++) {
    const proof = proveFrameAt(b, p, false);
    if (proof !== 'no' && proof !== 'more') return true;
  }
  return false;
}

/**
 * Decodes the reassembled bytes of one TCP connection: decides from its first bytes whether it carries TLS or bare
 * frames, decrypts TLS records when the key log allows, and splits the plaintext into frames.
 */
export class TcpFlowDecoder {
  /** What the connection carries, once its first bytes were seen. */
  kind: 'unknown' | 'frames' | 'tls' = 'unknown';
  private readonly splitters: Partial<Record<Direction, FrameSplitter>> = {};
  private readonly records: Partial<Record<Direction, TlsRecordReader>> = {};
  private tls: TlsSession | undefined;
  private early: Partial<Record<Direction, { bytes: Uint8Array; fromStart: boolean }>> = {};
  private readonly last: Record<Direction, { time: Timestamp; packet: number }> = {
    c2s: { time: { seconds: 0, nanos: 0 }, packet: 0 },
    s2c: { time: { seconds: 0, nanos: 0 }, packet: 0 },
  };

  constructor(private readonly keyLog: KeyLog | undefined, private readonly stats: InspectorStats) {}

  /** "tls" for a TLS connection, else "tcp". */
  get transport(): 'tcp' | 'tls' {
    return this.kind === 'tls' ? 'tls' : 'tcp';
  }

  /** Handles in-order bytes of one direction; `fromStart` says whether the direction's first byte was captured. */
  bytes(direction: Direction, bytes: Uint8Array, fromStart: boolean, time: Timestamp, packet: number): FlowItem[] {
    this.last[direction] = { time, packet };
    if (this.kind !== 'unknown') return this.decode(direction, bytes, fromStart, time, packet);
    // Joined mid-stream, one segment may hold only part of a TLS record: look at up to 64 KiB before deciding.
    const held = this.early[direction];
    const seen = held ? Buffer.concat([held.bytes, bytes]) : bytes;
    this.early[direction] = { bytes: seen, fromStart };
    if (!this.classify(seen, fromStart)) return [];
    const out: FlowItem[] = [];
    for (const d of ['c2s', 's2c'] as const) {
      const early = this.early[d];
      if (early) out.push(...this.decode(d, early.bytes, early.fromStart, this.last[d].time, this.last[d].packet));
    }
    this.early = {};
    return out;
  }

  private decode(direction: Direction, bytes: Uint8Array, fromStart: boolean, time: Timestamp, packet: number): FlowItem[] {
    if (this.kind === 'frames') return this.frames(this.splitter(direction, fromStart).push(bytes, time, packet));
    const out: FlowItem[] = [];
    const reader = (this.records[direction] ??= new TlsRecordReader(fromStart));
    for (const item of reader.push(bytes)) {
      if (item.kind === 'skipped') out.push(line(UNDECODABLE, { reason: item.reason, bytes: item.size }, NO_BYTES, item.size, time, packet));
      else out.push(...this.record(direction, item.record, fromStart, time, packet));
    }
    return out;
  }

  /** Handles bytes the capture missed in one direction. */
  gap(direction: Direction, missing: number, fromStart: boolean, time: Timestamp, packet: number): FlowItem[] {
    this.last[direction] = { time, packet };
    if (this.kind === 'unknown') {
      // Bytes before the hole cannot be joined to those after it; decoding starts by resynchronising anyway.
      this.stats.skippedBytes += this.early[direction]?.bytes.length ?? 0;
      delete this.early[direction];
      return [];
    }
    this.records[direction]?.reset();
    return this.frames(this.splitter(direction, fromStart).gap(missing, time, packet));
  }

  /** Ends one direction: reports a frame or TLS record cut by the end of the stream. */
  end(direction: Direction): FlowItem[] {
    const out: FlowItem[] = [];
    const early = this.early[direction];
    if (this.kind === 'unknown' && early) {
      // Too few bytes to tell: treat them as frames, so whatever they hold is still shown.
      this.kind = 'frames';
      delete this.early[direction];
      out.push(...this.decode(direction, early.bytes, early.fromStart, this.last[direction].time, this.last[direction].packet));
    } else if (early) {
      delete this.early[direction];
      out.push(...this.decode(direction, early.bytes, early.fromStart, this.last[direction].time, this.last[direction].packet));
    }
    const splitter = this.splitters[direction];
    if (splitter) {
      out.push(...this.frames(splitter.end()));
      this.stats.skippedBytes += splitter.skippedBytes;
      splitter.skippedBytes = 0;
    }
    const reader = this.records[direction];
    if (reader && reader.pendingBytes > 0) {
      const n = reader.pendingBytes;
      reader.reset();
      const { time, packet } = this.last[direction];
      out.push(line(UNDECODABLE, { reason: `stream ends inside a TLS record (${n} bytes of it captured)` }, NO_BYTES, n, time, packet));
    }
    return out;
  }

  // Decides what the connection carries; false while a mid-stream start needs more bytes to tell.
  private classify(bytes: Uint8Array, fromStart: boolean): boolean {
    const looksTls = fromStart ? bytes[0] === 22 && isRecordHeader(bytes, 0) : hasRecordPair(bytes);
    if (!looksTls && !fromStart && bytes.length < EARLY_LIMIT && !hasProvableFrame(bytes)) return false;
    if (looksTls) {
      this.kind = 'tls';
      this.tls = new TlsSession(this.keyLog, fromStart);
      this.stats.tlsStreams++;
    } else {
      this.kind = 'frames';
      if (fromStart && checkFrameHeader(bytes, 0) === 'no') this.stats.foreignStreams++;
    }
    return true;
  }

  private splitter(direction: Direction, fromStart: boolean): FrameSplitter {
    return (this.splitters[direction] ??= new FrameSplitter({ fromStart }));
  }

  private record(direction: Direction, record: TlsRecord, fromStart: boolean, time: Timestamp, packet: number): FlowItem[] {
    const out: FlowItem[] = [];
    const size = record.header.length + record.payload.length;
    for (const result of this.tls!.handle(direction, record)) {
      if (result.kind === 'data') {
        out.push(...this.frames(this.splitter(direction, fromStart).push(result.bytes, time, packet)));
      } else if (result.kind === 'record') {
        const fields = { contentType: result.contentType, length: result.length, note: result.note };
        out.push(line(TLS_RECORD, fields, record.payload.subarray(0, 256), size, time, packet));
      } else if (result.kind === 'alert') {
        const fields = { level: result.level === 2 ? 'fatal' : 'warning', description: alertName(result.description) };
        out.push(line(TLS_ALERT, fields, NO_BYTES, size, time, packet));
      } else {
        this.stats.decryptFailures++;
        out.push(line(UNDECODABLE, { reason: result.reason }, record.payload.subarray(0, 256), size, time, packet));
      }
    }
    return out;
  }

  private frames(items: SplitItem[]): FlowItem[] {
    return items.map((item) =>
      item.kind === 'frame'
        ? { kind: 'frame', envelope: item.envelope, raw: item.raw, size: item.raw.length, time: item.time, packet: item.packet }
        : line(UNDECODABLE, { reason: item.reason, bytes: item.size }, item.raw, item.size, item.time, item.packet));
  }
}

function line(type: string, fields: { [key: string]: FieldValue }, raw: Uint8Array, size: number, time: Timestamp, packet: number): FlowItem {
  return { kind: 'line', type, fields, raw, size, time, packet };
}
