import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinkType } from '../src/capture/types.js';
import type { InspectedMessage } from '../src/decode/message.js';
import { CLI, inspectFile, protocolMessages, tempDir } from './helpers/inspect.js';
import { readPackets, writePcap } from './helpers/rewrite.js';
import { captureTraffic, startTcpdump, startTshark } from './helpers/tcpdump.js';
import { chat, freePort, hello, makePeer, plainSession, sendDatagrams, type SessionScript } from './helpers/traffic.js';

const alice = makePeer('alice');
const bob = makePeer('bob');
const script = (n: number, tag = 'line'): SessionScript => ({
  client: [hello(alice), ...Array.from({ length: n }, (_, i) => chat(alice, `${tag} ${i}`))],
  server: [hello(bob), { pong: { nonce: 1, pingSentAtMs: 2, load: 3 } }],
});
const summary = (messages: InspectedMessage[]): string[] => protocolMessages(messages).map((m) => `${m.src.port}>${m.dst.port} ${m.type} ${JSON.stringify(m.fields)}`);

describe('capture formats, link types and address families', () => {
  const dir = tempDir();
  const ethernet = join(dir, 'lo.pcap');
  let reference: string[] = [];
  let referenceTimes: string[] = [];

  beforeAll(async () => {
    const tcp = await freePort();
    const udp = await freePort();
    await captureTraffic(ethernet, `tcp port ${tcp} or udp port ${udp}`, async () => {
      await plainSession(tcp, script(10));
      await sendDatagrams(udp, [{ ping: { nonce: 7, sentAtMs: 8 } }]);
    });
    const messages = await inspectFile(ethernet);
    reference = summary(messages);
    referenceTimes = protocolMessages(messages).map((m) => m.time);
    expect(reference).toHaveLength(14);
  });

  it('reads big-endian pcap, nanosecond pcap, and every link type the same way', async () => {
    const packets = await readPackets(ethernet);
    const ip = (frame: Uint8Array): Uint8Array => frame.subarray(14);
    const variants: [string, Parameters<typeof writePcap>[2], (f: Uint8Array) => Uint8Array][] = [
      ['big-endian', { bigEndian: true }, (f) => f],
      ['nanosecond', { nanos: true }, (f) => f],
      ['raw', { linkType: LinkType.RAW }, ip],
      ['ipv4', { linkType: LinkType.IPV4 }, ip],
      ['null', { linkType: LinkType.NULL }, (f) => Buffer.concat([Uint8Array.of(2, 0, 0, 0), ip(f)])],
      ['loop', { linkType: LinkType.LOOP }, (f) => Buffer.concat([Uint8Array.of(0, 0, 0, 2), ip(f)])],
      ['sll', { linkType: LinkType.LINUX_SLL }, (f) => Buffer.concat([Uint8Array.of(0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0), ip(f)])],
      ['sll2', { linkType: LinkType.LINUX_SLL2 }, (f) => Buffer.concat([Uint8Array.of(8, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0), ip(f)])],
      ['vlan', {}, (f) => Buffer.concat([f.subarray(0, 12), Uint8Array.of(0x81, 0, 0, 5), f.subarray(12)])],
    ];
    for (const [name, options, frame] of variants) {
      const out = join(dir, `${name}.pcap`);
      writePcap(out, packets, options, (p) => frame(p.data));
      const messages = await inspectFile(out);
      expect(summary(messages), name).toEqual(reference);
      expect(protocolMessages(messages).map((m) => m.time), name).toEqual(referenceTimes);
    }
  });

  it('reads pcapng with several interfaces and link types (mergecap), and gzip', async () => {
    const sll2 = join(dir, 'any.pcap');
    const port = await freePort();
    // -i any records Linux cooked SLL2 headers.
    await captureTraffic(sll2, `tcp port ${port}`, () => plainSession(port, script(5, 'any')), { iface: 'any' });
    const merged = join(dir, 'merged.pcapng');
    execFileSync('mergecap', ['-F', 'pcapng', '-w', merged, ethernet, sll2]);
    expect(readFileSync(merged).readUInt32BE(0)).toBe(0x0a0d0d0a);
    const mergedPackets = await readPackets(merged);
    expect(new Set(mergedPackets.map((p) => `${p.interfaceId}/${p.linkType}`))).toEqual(new Set([`0/${LinkType.ETHERNET}`, `1/${LinkType.LINUX_SLL2}`]));
    const messages = await inspectFile(merged);
    const found = summary(messages);
    for (const line of reference) expect(found).toContain(line);
    expect(protocolMessages(messages).filter((m) => m.type === 'broadcast' && String((m.fields.chat as { text: string }).text).startsWith('any'))).toHaveLength(5);
    const gz = join(dir, 'merged.pcapng.gz');
    writeFileSync(gz, gzipSync(readFileSync(merged)));
    expect(summary(await inspectFile(gz))).toEqual(found);
  });

  it('reads the pcapng tshark writes while capturing', async () => {
    const file = join(dir, 'tshark.pcapng');
    const port = await freePort();
    const capture = await startTshark(file, `tcp port ${port}`);
    await plainSession(port, script(6, 'ng'));
    await capture.stop();
    expect(readFileSync(file).readUInt32BE(0)).toBe(0x0a0d0d0a);
    const messages = protocolMessages(await inspectFile(file));
    expect(messages.map((m) => m.type)).toEqual(['hello', 'hello', 'broadcast', 'pong', 'broadcast', 'broadcast', 'broadcast', 'broadcast', 'broadcast']);
    expect(messages[0]!.time).toMatch(/^20\d\d-/);
  });

  it('reads nanosecond captures from tcpdump and IPv6 traffic', async () => {
    const file = join(dir, 'v6-nano.pcap');
    const port = await freePort();
    await captureTraffic(file, `tcp port ${port}`, () => plainSession(port, script(4, 'six'), '::1'), { nanos: true });
    expect(readFileSync(file).readUInt32LE(0)).toBe(0xa1b23c4d);
    const messages = protocolMessages(await inspectFile(file));
    expect(messages).toHaveLength(7);
    expect(messages.every((m) => m.src.ip === '::1' && m.dst.ip === '::1')).toBe(true);
    expect(messages[0]!.time).toMatch(/\.\d{9}Z$/);
  });

  it('--follow prints messages while the capture is still being written', async () => {
    const file = join(dir, 'live.pcap');
    const port = await freePort();
    const capture = await startTcpdump(file, `tcp port ${port}`);
    const child = spawn(process.execPath, [CLI, file, '--follow', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await plainSession(port, script(3, 'live'));
      const deadline = Date.now() + 30_000;
      while (!out.includes('"live 2"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain('"live 2"');
    } finally {
      await capture.stop();
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    }
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type)).toEqual(['hello', 'hello', 'broadcast', 'pong', 'broadcast', 'broadcast']);
  });
});
