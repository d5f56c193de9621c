import { writeFileSync } from 'node:fs';
import { readCaptureFile } from '../../src/capture/open-capture.js';
import { PcapWriter, type PcapWriterOptions } from '../../src/capture/pcap-writer.js';
import type { CapturedPacket } from '../../src/capture/types.js';

/** Reads every packet of a capture into memory (test captures are small). */
export async function readPackets(file: string): Promise<CapturedPacket[]> {
  const out: CapturedPacket[] = [];
  for await (const p of readCaptureFile(file)) out.push({ ...p, data: p.data.slice() });
  return out;
}

/** Writes packets as a classic pcap, optionally transforming each frame (e.g. to another link type). */
export function writePcap(file: string, packets: CapturedPacket[], options: Partial<PcapWriterOptions> = {}, frame: (p: CapturedPacket) => Uint8Array = (p) => p.data): void {
  const writer = new PcapWriter({ linkType: packets[0]?.linkType ?? 1, ...options });
  const parts = [writer.header(), ...packets.map((p) => writer.record(p.time, frame(p)))];
  writeFileSync(file, Buffer.concat(parts));
}

/** True when an Ethernet frame carries a TCP segment with payload (IPv4 only, as lo captures are). */
export function hasTcpPayload(frame: Uint8Array): boolean {
  const ip = frame.subarray(14);
  if (ip[9] !== 6) return false;
  const ihl = (ip[0]! & 15) * 4;
  const total = (ip[2]! << 8) | ip[3]!;
  const tcpHeader = (ip[ihl + 12]! >> 4) * 4;
  return total - ihl - tcpHeader > 0;
}
