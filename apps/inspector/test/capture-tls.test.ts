import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert } from './helpers/certs.js';
import { inspectFile, protocolMessages, runCliProcess, tempDir } from './helpers/inspect.js';
import { captureTraffic } from './helpers/tcpdump.js';
import { chat, freePort, hello, makePeer, tlsSession, type SessionScript } from './helpers/traffic.js';

const alice = makePeer('alice');
const bob = makePeer('bob');
const SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const LINES = 25;

function script(tag: string): SessionScript {
  const client = [hello(alice)];
  const server = [hello(bob)];
  for (let i = 0; i < LINES; i++) client.push(chat(alice, `${tag} secret ${i}`));
  // A block bigger than a TLS record (16 KiB) so frames span records and segments.
  server.push({ blockData: { transferId: Buffer.alloc(16, 7), index: 3, data: Buffer.alloc(100_000, 0x5a), sha256: Buffer.alloc(32, 1) } });
  return { client, server };
}

describe('TLS 1.3 sessions captured on loopback', () => {
  const dir = tempDir();
  const file = join(dir, 'tls.pcap');
  const keylog = join(dir, 'keys.log');

  beforeAll(async () => {
    writeFileSync(keylog, '');
    const certs = { server: makeCert(dir, 'server'), client: makeCert(dir, 'client') };
    const ports = await Promise.all(SUITES.map(() => freePort()));
    await captureTraffic(file, ports.map((p) => `tcp port ${p}`).join(' or '), async () => {
      for (const [i, suite] of SUITES.entries()) await tlsSession(ports[i]!, script(suite), certs, keylog, suite);
    });
    console.log(`capture: ${file}\nkey log: ${keylog}`);
  });

  it('decrypts every suite with the key log and finds every message', async () => {
    const messages = await inspectFile(file, keylog);
    expect(messages.filter((m) => m.type === 'undecodable' || m.type === 'tls-record')).toEqual([]);
    // Each side ends with a close_notify alert, decrypted too.
    const alerts = messages.filter((m) => m.type === 'tls-alert');
    expect(alerts.length).toBeGreaterThanOrEqual(3);
    expect(alerts.every((m) => m.fields.description === 'close_notify')).toBe(true);
    const found = protocolMessages(messages);
    expect(found.every((m) => m.transport === 'tls')).toBe(true);
    for (const suite of SUITES) {
      const texts = found.filter((m) => m.type === 'broadcast').map((m) => (m.fields.chat as { text: string }).text).filter((t) => t.startsWith(suite));
      expect(texts).toEqual(Array.from({ length: LINES }, (_, i) => `${suite} secret ${i}`));
    }
    expect(found.filter((m) => m.type === 'hello')).toHaveLength(6);
    const blocks = found.filter((m) => m.type === 'blockData');
    expect(blocks).toHaveLength(3);
    // File blocks are summarised (length and SHA-256), not dumped.
    expect(blocks[0]!.fields.data).toEqual({ bytes: 100_000, sha256: createHash('sha256').update(Buffer.alloc(100_000, 0x5a)).digest('hex') });
    expect(blocks[0]!.src.name).toBe('bob');
    expect(new Set(found.map((m) => m.stream)).size).toBe(3);
  });

  it('without the key log shows the records with their sizes and says a key log is needed', async () => {
    const messages = await inspectFile(file);
    expect(protocolMessages(messages)).toEqual([]);
    const records = messages.filter((m) => m.type === 'tls-record');
    expect(records.length).toBeGreaterThan(3 * (LINES + 2));
    const encrypted = records.filter((m) => m.fields.contentType === 'application_data');
    expect(encrypted.every((m) => String(m.fields.note).includes('key log'))).toBe(true);
    expect(encrypted.every((m) => typeof m.fields.length === 'number' && m.size === (m.fields.length as number) + 5)).toBe(true);
    const cli = await runCliProcess([file]);
    expect(cli.stderr).toContain('--keylog');
  });

  it('a TLS capture cut in the middle decrypts everything before the cut', async () => {
    const { copyFileSync, statSync, truncateSync } = await import('node:fs');
    const full = protocolMessages(await inspectFile(file, keylog));
    const cut = join(dir, 'tls-cut.pcap');
    copyFileSync(file, cut);
    truncateSync(cut, Math.floor(statSync(file).size * 0.6));
    const messages = await inspectFile(cut, keylog);
    const found = protocolMessages(messages);
    const lastPacket = Math.max(...messages.map((m) => m.packet));
    expect(found.length).toBeGreaterThan(10);
    expect(found.map((m) => JSON.stringify(m.fields))).toEqual(full.filter((m) => m.packet <= lastPacket).map((m) => JSON.stringify(m.fields)));
    expect(messages.filter((m) => m.type === 'undecodable').every((m) => String(m.fields.reason).includes('ends inside'))).toBe(true);
  });

  it('a TLS capture that starts after the handshake shows the records and why they stay encrypted', async () => {
    const { readPackets, writePcap } = await import('./helpers/rewrite.js');
    const packets = await readPackets(file);
    const mid = join(dir, 'tls-mid.pcap');
    // The first session loses its handshake; the other two are whole.
    writePcap(mid, packets.slice(8));
    const messages = await inspectFile(mid, keylog);
    const records = messages.filter((m) => m.type === 'tls-record');
    expect(records.length).toBeGreaterThan(LINES);
    expect(records.every((m) => m.stream === records[0]!.stream && String(m.fields.note).includes('after the TLS handshake'))).toBe(true);
    const chats = protocolMessages(messages).filter((m) => m.type === 'broadcast');
    expect(chats).toHaveLength(2 * LINES);
  });

  it('a key log without this connection says so, and decoding goes on', async () => {
    const other = join(dir, 'other.log');
    writeFileSync(other, `CLIENT_TRAFFIC_SECRET_0 ${'11'.repeat(32)} ${'22'.repeat(32)}\n`);
    const messages = await inspectFile(file, other);
    const encrypted = messages.filter((m) => m.type === 'tls-record' && m.fields.contentType === 'application_data');
    expect(encrypted.length).toBeGreaterThan(0);
    expect(String(encrypted[0]!.fields.note)).toContain('no secrets');
  });

  it('a wrong secret yields undecodable records with the reason, never a crash', async () => {
    const { readFileSync } = await import('node:fs');
    const bad = join(dir, 'bad.log');
    // Flip the first client application secret: those records fail authentication.
    writeFileSync(bad, readFileSync(keylog, 'utf8').replace(/^(CLIENT_TRAFFIC_SECRET_0 \S+ )(\S\S)/m, (_, a: string, b: string) => a + (b === '00' ? '01' : '00')));
    const messages = await inspectFile(file, bad);
    const failed = messages.filter((m) => m.type === 'undecodable');
    expect(failed.length).toBeGreaterThan(0);
    expect(String(failed[0]!.fields.reason)).toContain('failed authentication');
    expect(protocolMessages(messages).filter((m) => m.type === 'hello').length).toBeGreaterThanOrEqual(4);
  });
});
