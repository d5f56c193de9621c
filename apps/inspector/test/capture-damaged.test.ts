import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, truncateSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InspectedMessage } from '../src/decode/message.js';
import { inspectFile, protocolMessages, tempDir } from './helpers/inspect.js';
import { hasTcpPayload, readPackets, writePcap } from './helpers/rewrite.js';
import { captureTraffic } from './helpers/tcpdump.js';
import { chat, freePort, hello, makePeer, plainSession, type SessionScript } from './helpers/traffic.js';

const alice = makePeer('alice');
const bob = makePeer('bob');

function script(): SessionScript {
  const client = [hello(alice)];
  const server = [hello(bob)];
  for (let i = 0; i < 30; i++) {
    client.push(chat(alice, `line ${i}`));
    // Blocks of 150 KB span several loopback segments, so cuts land inside frames.
    server.push(i % 3 === 0
      ? { blockData: { transferId: Buffer.alloc(16, i), index: i, data: Buffer.alloc(150_000, i), sha256: Buffer.alloc(32, 2) } }
      : { pong: { nonce: i, pingSentAtMs: i, load: 1 } });
  }
  return { client, server };
}

const key = (m: InspectedMessage): string => `${m.direction} ${m.type} ${JSON.stringify(m.fields)}`;

describe('damaged and cut captures', () => {
  const dir = tempDir();
  const file = join(dir, 'full.pcap');
  let full: InspectedMessage[] = [];

  beforeAll(async () => {
    const port = await freePort();
    await captureTraffic(file, `tcp port ${port}`, () => plainSession(port, script()));
    full = protocolMessages(await inspectFile(file));
    console.log(`capture: ${file}`);
  });

  it('decodes the intact capture completely', () => {
    expect(full).toHaveLength(62);
  });

  it('a capture that starts mid-stream resynchronises on the next provable frame', async () => {
    const packets = await readPackets(file);
    // Start in the middle of a large block: the first data packet of the server direction after the 4th block.
    const blockPackets = packets.map((p, i) => ({ p, i })).filter(({ p }) => hasTcpPayload(p.data) && p.data.length > 20_000);
    const cutAt = blockPackets[5]!.i + 1;
    const cut = join(dir, 'mid.pcap');
    writePcap(cut, packets.slice(cutAt));
    const all = await inspectFile(cut);
    const found = protocolMessages(all);
    const expected = full.filter((m) => m.packet > packets[cutAt - 1]!.number);
    // Without the SYN, which side opened the connection is a guess, so compare per sending port, not direction.
    const bySender = (m: InspectedMessage): string => `${m.src.port} ${m.type} ${JSON.stringify(m.fields)}`;
    for (const port of new Set(expected.map((m) => m.src.port))) {
      const got = found.filter((m) => m.src.port === port).map(bySender);
      const want = expected.filter((m) => m.src.port === port).map(bySender);
      // The frame in flight at the cut is lost, nothing else.
      expect(want.slice(want.length - got.length)).toEqual(got);
      expect(want.length - got.length).toBeLessThanOrEqual(1);
    }
    expect(all.some((m) => m.type === 'undecodable' && String(m.fields.reason).includes('middle of the stream'))).toBe(true);
  });

  it('a file cut in the middle decodes up to the cut and says so', async () => {
    const cut = join(dir, 'truncated.pcap');
    copyFileSync(file, cut);
    truncateSync(cut, Math.floor(statSync(file).size / 2));
    const packets = await readPackets(cut);
    const lastPacket = packets.at(-1)!.number;
    const all = await inspectFile(cut);
    const found = protocolMessages(all).map(key);
    expect(found).toEqual(full.filter((m) => m.packet <= lastPacket).map(key));
    expect(found.length).toBeGreaterThan(10);
    expect(all.filter((m) => m.type === 'undecodable').every((m) => String(m.fields.reason).includes('ends inside a frame'))).toBe(true);
  });

  it('reordered and retransmitted segments are put back in order', async () => {
    const packets = await readPackets(file);
    const shuffled = [...packets];
    const data = shuffled.map((p, i) => ({ p, i })).filter(({ p }) => hasTcpPayload(p.data)).map(({ i }) => i);
    for (let k = 2; k + 1 < data.length; k += 5) {
      const [a, b] = [data[k]!, data[k + 1]!];
      [shuffled[a], shuffled[b]] = [shuffled[b]!, shuffled[a]!];
    }
    const withDuplicates = shuffled.flatMap((p, i) => (i % 7 === 0 && hasTcpPayload(p.data) ? [p, p] : [p]));
    const out = join(dir, 'reordered.pcap');
    writePcap(out, withDuplicates);
    const all = await inspectFile(out);
    expect(all.filter((m) => m.type === 'undecodable')).toEqual([]);
    // Swapping packets changes how the two directions interleave, so compare each direction's sequence.
    for (const direction of ['c2s', 's2c'] as const) {
      const got = protocolMessages(all).filter((m) => m.direction === direction).map(key);
      expect(got).toEqual(full.filter((m) => m.direction === direction).map(key));
    }
  });

  it('a lost segment becomes one undecodable item and decoding goes on after it', async () => {
    const packets = await readPackets(file);
    const big = packets.map((p, i) => ({ p, i })).filter(({ p }) => hasTcpPayload(p.data) && p.data.length > 20_000);
    const lost = big[3]!.i;
    const out = join(dir, 'lost.pcap');
    writePcap(out, packets.filter((_, i) => i !== lost));
    const all = await inspectFile(out);
    const bad = all.filter((m) => m.type === 'undecodable');
    expect(bad.length).toBeGreaterThanOrEqual(1);
    expect(String(bad[0]!.fields.reason)).toContain('missing from the capture');
    const found = protocolMessages(all).map(key);
    expect(found.length).toBeGreaterThanOrEqual(full.length - 2);
    expect(found.at(-1)).toBe(key(full.at(-1)!));
  });

  it('garbage, random bytes and a non-capture never crash it', async () => {
    const garbage = join(dir, 'garbage.pcap');
    const bytes = readFileSync(file);
    const damaged = Buffer.from(bytes);
    // Overwrite bytes inside packet payloads (past the pcap header) with noise.
    for (let i = 200; i < damaged.length; i += 997) damaged[i] = (damaged[i]! + 0x5b) & 0xff;
    writeFileSync(garbage, damaged);
    const decoded = await inspectFile(garbage);
    // Most frames survive; the damaged ones are reported, and decoding goes on after each.
    expect(protocolMessages(decoded).length).toBeGreaterThan(full.length / 3);
    expect(decoded.some((m) => m.type === 'undecodable')).toBe(true);
    // The same damage in a pcapng copy: blocks whose two length fields disagree are skipped, the rest decodes.
    const ng = join(dir, 'full.pcapng');
    execFileSync('editcap', ['-F', 'pcapng', file, ng]);
    const ngBytes = Buffer.from(readFileSync(ng));
    for (let i = 300; i < ngBytes.length; i += 997) ngBytes[i] = (ngBytes[i]! + 0x5b) & 0xff;
    const damagedNg = join(dir, 'garbage.pcapng');
    writeFileSync(damagedNg, ngBytes);
    expect(protocolMessages(await inspectFile(damagedNg)).length).toBeGreaterThan(full.length / 3);
    const noise = join(dir, 'noise.bin');
    writeFileSync(noise, Buffer.alloc(4096, 0x42));
    await expect(inspectFile(noise)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_CAPTURE_FORMAT' });
  });
});
