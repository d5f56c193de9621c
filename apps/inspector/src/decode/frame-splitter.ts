import { DEFAULT_MAX_FRAME_SIZE, decodeEnvelope, readVarint, type DecodedEnvelope } from '@p2p/core/wire';
import type { Timestamp } from '../capture/types.js';
import { proveFrameAt } from './frame-scan.js';

/** One item cut from a byte stream: a decoded frame, or bytes that could not be decoded and why. */
export type SplitItem =
  | { kind: 'frame'; envelope: DecodedEnvelope; raw: Uint8Array; time: Timestamp; packet: number }
  | { kind: 'undecodable'; reason: string; size: number; raw: Uint8Array; time: Timestamp; packet: number };

/** Options of a FrameSplitter. */
export interface FrameSplitterOptions {
  /** The stream is known from its first byte (SYN seen); otherwise the splitter starts by resynchronising. */
  fromStart: boolean;
  /** Largest frame payload accepted. */
  maxFrameSize?: number;
  /** Bytes of an undecodable region kept for display. */
  maxRawKept?: number;
}

/**
 * Splits one direction of a session into varint-delimited Envelope frames. Unlike the core's FrameDecoder, which
 * must refuse a peer that breaks the protocol, this one is for looking at damaged captures: after a bad frame, a
 * lost segment or a mid-stream start it hunts for the next frame boundary it can prove and goes on from there.
 * Memory is bounded by about two frames.
 */
export class FrameSplitter {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private needed = 0;
  private synced: boolean;
  private huntFrom = 0;
  private lostReason: string | undefined;
  private lastTime: Timestamp = { seconds: 0, nanos: 0 };
  private lastPacket = 0;
  private readonly maxFrameSize: number;
  private readonly maxRawKept: number;
  /** Bytes skipped while resynchronising. */
  skippedBytes = 0;

  constructor(options: FrameSplitterOptions) {
    this.synced = options.fromStart;
    if (!options.fromStart) this.lostReason = 'capture starts in the middle of the stream';
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
    this.maxRawKept = options.maxRawKept ?? 64 * 1024;
  }

  /** Feeds in-order stream bytes; returns the items they completed. */
  push(bytes: Uint8Array, time: Timestamp, packet: number): SplitItem[] {
    if (bytes.length === 0) return [];
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    this.lastTime = time;
    this.lastPacket = packet;
    if (this.buffered < this.needed) return [];
    return this.process(false);
  }

  /** Reports bytes the capture never saw: the frame in progress is lost and the splitter resynchronises. */
  gap(missing: number, time: Timestamp, packet: number): SplitItem[] {
    const out: SplitItem[] = [];
    const data = this.take();
    const reason = `${missing} bytes missing from the capture (lost segments)`;
    if (data.length > 0 || this.synced) {
      out.push(this.undecodable(`${reason}; ${data.length} bytes of an unfinished frame before the hole`, data));
    }
    this.synced = false;
    this.huntFrom = 0;
    this.lostReason = `after ${missing} missing bytes`;
    this.lastTime = time;
    this.lastPacket = packet;
    return out;
  }

  /** Declares the end of the stream (FIN, RST or end of capture); reports any unfinished frame. */
  end(): SplitItem[] {
    const out = this.process(true);
    const rest = this.take();
    if (rest.length > 0) {
      const reason = this.synced
        ? `stream ends inside a frame (${rest.length} bytes of it captured)`
        : `${rest.length} bytes that never resynchronised (${this.lostReason ?? 'damaged stream'})`;
      out.push(this.undecodable(reason, rest));
    }
    return out;
  }

  private take(): Uint8Array {
    const data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    this.needed = 0;
    return data;
  }

  private process(ended: boolean): SplitItem[] {
    const out: SplitItem[] = [];
    let data = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
    let offset = 0;
    this.needed = 0;
    while (offset < data.length) {
      if (this.synced) {
        let prefix;
        try {
          prefix = readVarint(data, offset, this.maxFrameSize);
        } catch (err) {
          this.startHunt(`bad length prefix: ${(err as Error).message}`, offset);
          continue;
        }
        if (!prefix) break;
        const end = offset + prefix.length + prefix.value;
        if (end > data.length) {
          this.needed = end - offset;
          break;
        }
        const raw = data.subarray(offset, end);
        try {
          const envelope = decodeEnvelope(raw.subarray(prefix.length));
          out.push({ kind: 'frame', envelope, raw, time: this.lastTime, packet: this.lastPacket });
          offset = end;
        } catch (err) {
          this.startHunt(`frame of ${prefix.value} bytes is not a valid Envelope: ${(err as Error).message}`, offset);
        }
        continue;
      }
      // Hunting: try each offset until a frame boundary is proven.
      let found = false;
      let position = Math.max(offset, this.huntFrom);
      for (; position < data.length; position++) {
        const proof = proveFrameAt(data, position, ended, this.maxFrameSize);
        if (proof === 'no') continue;
        if (proof === 'more' && !ended && data.length - offset < 2 * this.maxFrameSize + 64) break;
        if (proof === 'more') continue;
        found = true;
        break;
      }
      if (!found) {
        this.huntFrom = position;
        break;
      }
      if (position > offset) {
        this.skippedBytes += position - offset;
        out.push(this.undecodable(`${this.lostReason}: skipped ${position - offset} bytes to the next provable frame`, data.subarray(offset, position)));
      }
      this.synced = true;
      this.lostReason = undefined;
      offset = position;
    }
    // Never hold more than two frames' worth while hunting.
    if (!this.synced && data.length - offset > 2 * this.maxFrameSize + 64) {
      const drop = data.length - offset - this.maxFrameSize;
      this.skippedBytes += drop;
      out.push(this.undecodable(`${this.lostReason}: skipped ${drop} bytes with no provable frame`, data.subarray(offset, offset + drop)));
      offset += drop;
    }
    if (offset > 0) {
      this.huntFrom = Math.max(0, this.huntFrom - offset);
      data = data.subarray(offset);
    }
    this.chunks = data.length > 0 ? [offset > 0 ? Uint8Array.prototype.slice.call(data) : data] : [];
    this.buffered = data.length;
    return out;
  }

  private startHunt(reason: string, offset: number): void {
    this.synced = false;
    this.lostReason = reason;
    // The byte at `offset` is known bad as a frame start; look from the next one.
    this.huntFrom = offset + 1;
  }

  private undecodable(reason: string, bytes: Uint8Array): SplitItem {
    return {
      kind: 'undecodable',
      reason,
      size: bytes.length,
      raw: bytes.length > this.maxRawKept ? bytes.slice(0, this.maxRawKept) : bytes.slice(),
      time: this.lastTime,
      packet: this.lastPacket,
    };
  }
}
