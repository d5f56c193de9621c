import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectedMessage } from '../src/decode/message.js';
import { inspectFile, protocolMessages, tempDir } from './helpers/inspect.js';
import { controlCall, eventually, startDaemon, type Daemon } from './helpers/p2pd.js';
import { startTcpdump } from './helpers/tcpdump.js';
import { freePort } from './helpers/traffic.js';

/*
 * Real daemons on loopback (LAN discovery bound to 127.0.0.1, broadcast within 127.0.0.0/8), captured with tcpdump;
 * the inspector must find the Hellos, the direct chat line sent through the control socket, its acknowledgement,
 * and the discovery announcements, with TLS (decrypted with the daemons' --keylog files) and with --insecure.
 */

const running: Daemon[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.stop()));
});

async function captureDaemons(dir: string, mode: 'tls' | 'insecure'): Promise<{ file: string; keylog: string; alpha: Daemon; bravo: Daemon }> {
  const [portA, portB, discovery] = [await freePort(), await freePort(), await freePort()];
  const file = join(dir, `${mode}.pcap`);
  const capture = await startTcpdump(file, `tcp port ${portA} or tcp port ${portB} or udp port ${discovery}`);
  const common = ['--interface', '127.0.0.1', '--mask', '255.0.0.0', '--discovery-port', String(discovery), '--log-level', 'info'];
  const extra = (name: string): string[] => (mode === 'tls' ? ['--keylog', join(dir, `${name}.keys`)] : ['--insecure']);
  const alpha = await startDaemon(dir, 'alpha', ['--listen', `127.0.0.1:${portA}`, ...common, ...extra('alpha')]);
  running.push(alpha);
  const bravo = await startDaemon(dir, 'bravo', ['--listen', `127.0.0.1:${portB}`, ...common, ...extra('bravo')]);
  running.push(bravo);
  try {
    await eventually(async () => {
      const r = await controlCall(bravo.ready.socket, { peers: {} });
      return (r.peers?.peers ?? []).some((p) => p.name === 'alpha' && p.state === 'connected');
    }, 60_000, 'bravo to connect to alpha');
    const sent = await controlCall(bravo.ready.socket, { send: { to: 'alpha', text: `hello alpha over ${mode}` } });
    expect(sent.send?.delivered).toBe(true);
  } finally {
    await Promise.all(running.splice(0).map((d) => d.stop()));
    await capture.stop();
  }
  const keylog = join(dir, 'all.keys');
  if (mode === 'tls') writeFileSync(keylog, ['alpha', 'bravo'].map((n) => { try { return readFileSync(join(dir, `${n}.keys`), 'utf8'); } catch { return ''; } }).join(''));
  return { file, keylog, alpha, bravo };
}

function checkConversation(messages: InspectedMessage[], alphaId: string, bravoId: string, text: string, transport: 'tls' | 'tcp'): void {
  const found = protocolMessages(messages);
  const hellos = found.filter((m) => m.type === 'hello' && m.transport === transport);
  expect(hellos.map((m) => m.fields.name).sort()).toEqual(expect.arrayContaining(['alpha', 'bravo']));
  expect(hellos.find((m) => m.fields.name === 'alpha')!.fields.peerId).toBe(alphaId);
  const direct = found.filter((m) => m.type === 'direct' && (m.fields.chat as { text?: string } | undefined)?.text === text);
  expect(direct).toHaveLength(1);
  expect(direct[0]!.fields).toMatchObject({ from: bravoId, to: alphaId });
  expect(direct[0]!.src).toMatchObject({ name: 'bravo', peerId: bravoId });
  expect(direct[0]!.dst).toMatchObject({ name: 'alpha', peerId: alphaId });
  const ack = found.filter((m) => m.type === 'directAck' && m.fields.messageId === direct[0]!.fields.messageId);
  expect(ack).toHaveLength(1);
  expect(ack[0]!.fields.status).toBe('DIRECT_STATUS_DELIVERED');
  const announces = found.filter((m) => m.type === 'announce' && m.transport === 'udp');
  expect(announces.length).toBeGreaterThan(0);
  expect(new Set(announces.map((m) => (m.fields.peer as { name: string }).name))).toEqual(new Set(['alpha', 'bravo']));
}

describe('real p2pd daemons captured on loopback', () => {
  it('TLS sessions are decrypted with the daemons\' key logs', async () => {
    const dir = tempDir();
    const { file, keylog, alpha, bravo } = await captureDaemons(dir, 'tls');
    console.log(`capture: ${file}\nkey log: ${keylog}`);
    const decrypted = await inspectFile(file, keylog);
    expect(decrypted.filter((m) => m.type === 'undecodable')).toEqual([]);
    checkConversation(decrypted, alpha.ready.peerId, bravo.ready.peerId, 'hello alpha over tls', 'tls');
    // Without the key log: records only, nothing of the session's content.
    const opaque = await inspectFile(file);
    expect(opaque.some((m) => m.type === 'tls-record' && String(m.fields.note).includes('key log'))).toBe(true);
    expect(protocolMessages(opaque).filter((m) => m.transport !== 'udp')).toEqual([]);
  });

  it('--insecure sessions are decoded as they are', async () => {
    const dir = tempDir();
    const { file, alpha, bravo } = await captureDaemons(dir, 'insecure');
    const messages = await inspectFile(file);
    expect(messages.filter((m) => m.type === 'undecodable')).toEqual([]);
    checkConversation(messages, alpha.ready.peerId, bravo.ready.peerId, 'hello alpha over insecure', 'tcp');
  });
});
