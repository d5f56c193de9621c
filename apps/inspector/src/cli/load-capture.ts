import { readCaptureFileBatches, type CaptureReadStats } from '../capture/open-capture.js';
import { Inspector } from '../decode/inspector.js';
import type { InspectedMessage } from '../decode/message.js';
import { openKeyLogFile } from '../tls/key-log.js';

/** Options of an inspection run. */
export interface InspectRunOptions {
  /** Capture file path, or "-" for standard input. */
  capture: string;
  /** NSS key log file for TLS 1.3 decryption. */
  keylog?: string;
  /** Keep reading as the capture grows, until `signal` aborts. */
  follow?: boolean;
  /** Stops a following run. */
  signal?: AbortSignal;
}

/** A running inspection: the messages as they are decoded, and the counters. */
export interface InspectRun {
  /** The decoded messages in capture order (iterate either this or `batches`, not both). */
  messages: AsyncGenerator<InspectedMessage>;
  /** The same messages, as one array per chunk of the capture read: cheaper for a consumer that prints them. */
  batches: AsyncGenerator<InspectedMessage[]>;
  /** The inspector (its stats fill in as messages are read). */
  inspector: Inspector;
  /** What the capture reader saw (format, gzip, a cut last record). */
  capture: CaptureReadStats;
}

/** Starts decoding a capture file; nothing is read until `messages` is iterated. */
export function startInspection(options: InspectRunOptions): InspectRun {
  const keyLog = options.keylog ? openKeyLogFile(options.keylog) : undefined;
  const inspector = new Inspector(keyLog ? { keyLog } : {});
  const capture: CaptureReadStats = { bytes: 0, gzip: false };
  const packets = readCaptureFileBatches(options.capture, { follow: options.follow ?? false, ...(options.signal ? { signal: options.signal } : {}) }, capture);
  async function* batches(): AsyncGenerator<InspectedMessage[]> {
    for await (const batch of packets) {
      const out: InspectedMessage[] = [];
      for (const packet of batch) {
        for (const m of inspector.push(packet)) out.push(m);
      }
      if (out.length > 0) yield out;
    }
    const last = inspector.end();
    if (last.length > 0) yield last;
  }
  const batched = batches();
  async function* messages(): AsyncGenerator<InspectedMessage> {
    for await (const batch of batched) yield* batch;
  }
  return { messages: messages(), batches: batched, inspector, capture };
}

/**
 * Decodes a whole capture into memory (for the web UI and tests), keeping at most `limit` messages and, past a
 * budget of `rawBudget` bytes of raw bytes, only the first 256 bytes of each further message.
 */
export async function loadCapture(options: InspectRunOptions, limit = 500_000, rawBudget = 256 * 1024 * 1024): Promise<{ messages: InspectedMessage[]; run: InspectRun; dropped: number }> {
  const run = startInspection(options);
  const messages: InspectedMessage[] = [];
  let dropped = 0;
  let rawBytes = 0;
  for await (const m of run.messages) {
    if (messages.length >= limit) {
      dropped++;
      continue;
    }
    // Copy: a view would pin the whole reassembly buffer it points into for as long as the message is kept.
    m.raw = rawBytes + m.raw.length > rawBudget && m.raw.length > 256 ? m.raw.slice(0, 256) : m.raw.slice();
    rawBytes += m.raw.length;
    messages.push(m);
  }
  return { messages, run, dropped };
}
