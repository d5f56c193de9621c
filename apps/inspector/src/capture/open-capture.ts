import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { UnknownCaptureFormatError } from '../errors.js';
import { readFileChunks, type FileSourceOptions } from './byte-source.js';
import { isPcapMagic, PcapParser } from './pcap-reader.js';
import { isPcapngMagic, PcapngParser } from './pcapng-reader.js';
import type { CapturedPacket, CaptureParser } from './types.js';

/** What a capture reader reports besides packets. */
export interface CaptureReadStats {
  /** Bytes of capture file read (after gunzip). */
  bytes: number;
  /** "pcap" or "pcapng", once known. */
  format?: 'pcap' | 'pcapng';
  /** True when the input was gzip-compressed. */
  gzip: boolean;
  /** Description of a last record cut by the end of the file, if any. */
  truncated?: string;
  /** Damaged record headers skipped over. */
  damagedRecords?: number;
}

/** Picks the parser for a file from its first bytes. */
export function createCaptureParser(head: Uint8Array): { parser: CaptureParser; format: 'pcap' | 'pcapng' } {
  if (isPcapMagic(head)) return { parser: new PcapParser(), format: 'pcap' };
  if (isPcapngMagic(head)) return { parser: new PcapngParser(), format: 'pcapng' };
  const hex = Buffer.from(head.subarray(0, 4)).toString('hex');
  throw new UnknownCaptureFormatError(`file starts with ${hex || 'nothing'}`);
}

async function* gunzipChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const gunzip = Readable.from(source).pipe(createGunzip());
  for await (const chunk of gunzip) yield chunk as Uint8Array;
}

async function* withHead(first: Uint8Array, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/**
 * Reads packets from a stream of capture bytes (pcap or pcapng, optionally gzip'd), one chunk at a time:
 * memory stays bounded by the largest record whatever the file size. `stats` is filled in as reading goes.
 */
export async function* readCapture(
  source: AsyncIterable<Uint8Array>,
  stats: CaptureReadStats = { bytes: 0, gzip: false },
): AsyncGenerator<CapturedPacket> {
  for await (const batch of readCaptureBatches(source, stats)) yield* batch;
}

/**
 * Like readCapture, but yields the packets of each chunk read as one array: a consumer that handles a whole batch
 * before asking for the next pays one asynchronous step per chunk instead of one per packet. Packet bytes may be
 * views of the chunk, so handle (or copy) a batch before asking for the next.
 */
export async function* readCaptureBatches(
  source: AsyncIterable<Uint8Array>,
  stats: CaptureReadStats = { bytes: 0, gzip: false },
): AsyncGenerator<CapturedPacket[]> {
  const iterator = source[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length < 4) {
    // Rare tiny first chunk (a pipe): join until the magic is readable.
    const more = await iterator.next();
    if (more.done) break;
    first = { done: false, value: Buffer.concat([first.value, more.value]) };
  }
  if (first.done) throw new UnknownCaptureFormatError('empty input');
  let chunks: AsyncIterable<Uint8Array> = withHead(first.value, iterator);
  if (first.value[0] === 0x1f && first.value[1] === 0x8b) {
    stats.gzip = true;
    chunks = gunzipChunks(chunks);
  }
  let parser: CaptureParser | undefined;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    stats.bytes += chunk.length;
    if (!parser) {
      head = head.length ? Buffer.concat([head, chunk]) : chunk;
      if (head.length < 4) continue;
      const picked = createCaptureParser(head);
      parser = picked.parser;
      stats.format = picked.format;
      const packets = parser.push(head);
      if (packets.length > 0) yield packets;
      continue;
    }
    const packets = parser.push(chunk);
    if (packets.length > 0) yield packets;
  }
  if (!parser) throw new UnknownCaptureFormatError('input shorter than a capture header');
  const cut = parser.end();
  if (parser.damagedRecords) stats.damagedRecords = parser.damagedRecords;
  if (cut) stats.truncated = cut;
}

/** Reads packets from a capture file (see readCapture); "-" reads standard input. */
export function readCaptureFile(
  path: string,
  options: FileSourceOptions = {},
  stats?: CaptureReadStats,
): AsyncGenerator<CapturedPacket> {
  const source = path === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : readFileChunks(path, options);
  return readCapture(source, stats);
}

/** Reads a capture file a chunk's packets at a time (see readCaptureBatches); "-" reads standard input. */
export function readCaptureFileBatches(
  path: string,
  options: FileSourceOptions = {},
  stats?: CaptureReadStats,
): AsyncGenerator<CapturedPacket[]> {
  const source = path === '-' ? (process.stdin as AsyncIterable<Uint8Array>) : readFileChunks(path, options);
  return readCaptureBatches(source, stats);
}
