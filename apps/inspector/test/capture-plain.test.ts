import { join } from 'node:path';
import { describe, expect, it, beforeAll } from 'vitest';
import { captureTraffic } from './helpers/tcpdump.js';
import { chat, freePort, hello, makePeer, plainSession, sendDatagrams, type SessionScript } from './helpers/traffic.js';
import { inspectFile, protocolMessages, runCliProcess, tempDir } from './helpers/inspect.js';

const alice = makePeer('alice');
const bob = makePeer('bob');

function script(lines: number): SessionScript {
  const client = [hello(alice, 0)];
  const server = [hello(bob, 0)];
  for (let i = 0; i < lines; i++) {
    client.push(chat(alice, `hello bob ${i}`));
    server.push({ ping: { nonce: i + 1, sentAtMs: 1_700_000_000_000 + i } });
  }
  client.push({ goodbye: { reason: 1, detail: 'bye' } });
  return { client, server };
}

describe('plain TCP and UDP captured on loopback', () => {
  const dir = tempDir();
  const file = join(dir, 'plain.pcap');
  let tcpPort = 0;
  let udpPort = 0;
  const lines = 40;

  beforeAll(async () => {
    tcpPort = await freePort();
    udpPort = await freePort();
    await captureTraffic(file, `tcp port ${tcpPort} or udp port ${udpPort}`, async () => {
      await plainSession(tcpPort, script(lines));
      await sendDatagrams(udpPort, [
      { announce: { peer: { peerId: alice.id, name: 'alice', host: '', port: tcpPort, role: 1, load: 0, seenAtMs: 1 }, instanceId: Buffer.alloc(8, 1), isReply: false } },
        { ping: { nonce: 99, sentAtMs: 5 } },
      ]);
    });
    console.log(`capture: ${file}`);
  });

  it('finds every message sent, with its fields, peers and direction', async () => {
    const messages = await inspectFile(file);
    expect(messages.filter((m) => m.type === 'undecodable')).toEqual([]);
    const tcp = protocolMessages(messages).filter((m) => m.transport === 'tcp');
    expect(tcp).toHaveLength(2 + lines * 2 + 1);
    const chats = tcp.filter((m) => m.type === 'broadcast');
    expect(chats.map((m) => (m.fields.chat as { text: string }).text)).toEqual(Array.from({ length: lines }, (_, i) => `hello bob ${i}`));
    expect(chats.every((m) => m.direction === 'c2s' && m.src.name === 'alice' && m.dst.name === 'bob')).toBe(true);
    expect(chats[0]!.fields.origin).toBe(alice.idText);
    const pings = tcp.filter((m) => m.type === 'ping');
    expect(pings.map((m) => m.fields.nonce)).toEqual(Array.from({ length: lines }, (_, i) => i + 1));
    expect(pings[0]!.src.peerId).toBe(bob.idText);
    expect(tcp.at(-1)!.type).toBe('goodbye');
    expect(tcp.at(-1)!.fields).toEqual({ reason: 'GOODBYE_REASON_SHUTDOWN', detail: 'bye' });
    const udp = messages.filter((m) => m.transport === 'udp');
    expect(udp.map((m) => m.type)).toEqual(['announce', 'ping']);
    expect(udp[0]!.src.name).toBe('alice');
    expect(new Set(tcp.map((m) => m.stream)).size).toBe(1);
    expect(udp[0]!.stream).not.toBe(tcp[0]!.stream);
  });

  it('prints a table, JSON lines, filtered views and stats from the CLI', async () => {
    const table = await runCliProcess([file]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('hello bob 7');
    expect(table.stdout).not.toContain('\u001b['); // not a TTY: no colours
    const json = await runCliProcess([file, '--json']);
    const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2 + lines * 2 + 1 + 2);
    expect(Object.keys(rows[0]!).slice(0, 7)).toEqual(['time', 'src', 'dst', 'transport', 'stream', 'type', 'fields']);
    const chatOnly = await runCliProcess(['--type', 'chat', '--json', file]);
    expect(chatOnly.stdout.trim().split('\n')).toHaveLength(lines);
    const bobOnly = await runCliProcess([file, '--json', '--peer', 'bob', '--type', 'ping']);
    expect(bobOnly.stdout.trim().split('\n')).toHaveLength(lines);
    // Alice's Hello went out before Bob had said who he is, so only Bob's own Hello names him.
    const byId = await runCliProcess([file, '--json', '--peer', bob.idText.slice(0, 8), '--type', 'hello']);
    expect(byId.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { src: { name: string } }).src.name)).toEqual(['bob']);
    const stream = (rows.find((r) => r.transport === 'udp') as { stream: number }).stream;
    const udpOnly = await runCliProcess([file, '--json', '--stream', String(stream)]);
    expect(udpOnly.stdout.trim().split('\n')).toHaveLength(2);
    const several = await runCliProcess(['--type', 'hello', '--type', 'goodbye,announce', file, '--json']);
    expect(several.stdout.trim().split('\n')).toHaveLength(4);
    const stats = await runCliProcess([file, '--stats', '--json']);
    const report = JSON.parse(stats.stdout) as { byType: Record<string, number> };
    expect(report.byType).toMatchObject({ hello: 2, broadcast: lines, ping: lines + 1, goodbye: 1, announce: 1 });
    const text = await runCliProcess([file, '--stats']);
    expect(text.stdout).toContain(`alice (${alice.idText.slice(0, 10)}) -> bob (${bob.idText.slice(0, 10)})`);
  });

  it('reports usage and unreadable captures with their exit codes', async () => {
    expect((await runCliProcess([join(dir, 'missing.pcap')])).code).toBe(1);
    expect((await runCliProcess([file, '--bogus'])).code).toBe(2);
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes');
    expect(help.stdout).toContain('--keylog');
  });
});
