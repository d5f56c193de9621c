import type { Timestamp } from '../capture/types.js';

/** What a reassembled TCP direction delivers: in-order bytes, or a hole the capture never saw. */
export type StreamChunk =
  | { kind: 'data'; bytes: Uint8Array; time: Timestamp; packet: number }
  | { kind: 'gap'; missing: number; time: Timestamp; packet: number };

interface PendingSegment {
  seq: number;
  bytes: Uint8Array;
  time: Timestamp;
  packet: number;
}

/** Limits of one direction's reassembly buffer. */
export interface TcpReassemblerOptions {
  /** Most out-of-order bytes held while waiting for a hole to fill; beyond it the hole is given up. */
  maxPendingBytes?: number;
  /** Most out-of-order segments held. */
  maxPendingSegments?: number;
}

/** Sequence-number difference a - b in 32-bit modular arithmetic (RFC 1982 style). */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/**
 * Puts one direction of a TCP connection back in order: drops retransmitted bytes, holds early segments until the
 * hole before them fills, and, when a hole never fills (a segment the capture lost) or the capture started
 * mid-stream, reports it as a gap so the consumer can resynchronise.
 */
export class TcpReassembler {
  private nextSeq: number | undefined;
  private pending: PendingSegment[] = [];
  private pendingBytes = 0;
  private readonly maxPendingBytes: number;
  private readonly maxPendingSegments: number;
  /** True once a SYN was seen, so the stream is known from its first byte. */
  sawStart = false;
  /** Payload bytes dropped because they had already been delivered (retransmissions). */
  retransmittedBytes = 0;

  constructor(options: TcpReassemblerOptions = {}) {
    this.maxPendingBytes = options.maxPendingBytes ?? 8 * 1024 * 1024;
    this.maxPendingSegments = options.maxPendingSegments ?? 4096;
  }

  /** Feeds one segment of this direction; returns what became deliverable in order. */
  push(seq: number, payload: Uint8Array, syn: boolean, time: Timestamp, packet: number): StreamChunk[] {
    if (syn) {
      if (this.nextSeq === undefined || !this.sawStart) this.nextSeq = (seq + 1) >>> 0;
      this.sawStart = true;
      seq = (seq + 1) >>> 0; // data on a SYN (TCP fast open) starts after the SYN's sequence number
    }
    if (payload.length === 0) return [];
    if (this.nextSeq === undefined) this.nextSeq = seq;
    const out: StreamChunk[] = [];
    this.accept({ seq, bytes: payload, time, packet }, out);
    if (this.pendingBytes > this.maxPendingBytes || this.pending.length > this.maxPendingSegments) {
      this.skipHole(out);
    }
    return out;
  }

  /** Gives up on every hole (end of capture, connection closed): delivers all held bytes with gaps between. */
  flush(): StreamChunk[] {
    const out: StreamChunk[] = [];
    while (this.pending.length > 0) this.skipHole(out);
    return out;
  }

  private accept(segment: PendingSegment, out: StreamChunk[]): void {
    const next = this.nextSeq!;
    const offset = seqDiff(segment.seq, next);
    if (offset + segment.bytes.length <= 0) {
      this.retransmittedBytes += segment.bytes.length;
      return;
    }
    if (offset > 0) {
      this.pending.push(segment);
      this.pendingBytes += segment.bytes.length;
      return;
    }
    if (offset < 0) this.retransmittedBytes += -offset;
    const bytes = offset < 0 ? segment.bytes.subarray(-offset) : segment.bytes;
    out.push({ kind: 'data', bytes, time: segment.time, packet: segment.packet });
    this.nextSeq = (next + bytes.length) >>> 0;
    this.drain(out);
  }

  private drain(out: StreamChunk[]): void {
    for (;;) {
      const index = this.pending.findIndex((s) => seqDiff(s.seq, this.nextSeq!) <= 0);
      if (index < 0) return;
      const [segment] = this.pending.splice(index, 1);
      this.pendingBytes -= segment!.bytes.length;
      this.accept(segment!, out);
    }
  }

  private skipHole(out: StreamChunk[]): void {
    if (this.pending.length === 0) return;
    let first = this.pending[0]!;
    for (const s of this.pending) if (seqDiff(s.seq, first.seq) < 0) first = s;
    const missing = seqDiff(first.seq, this.nextSeq!);
    out.push({ kind: 'gap', missing, time: first.time, packet: first.packet });
    this.nextSeq = first.seq;
    this.drain(out);
  }
}
