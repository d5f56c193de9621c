/**
 * One peer floods a daemon with the largest texts allowed (1 MB texts are refused as too large before they leave)
 * over a real session: its share of the inbox fills, it is told "inbox full", an honest peer's messages still get
 * through, and the daemon's memory and inbox file stay bounded.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createNode, MAX_CHAT_TEXT_BYTES, type NodeExtensions, type P2PNode } from '@p2p/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInboxRecord } from '../src/inbox/index.js';
import { controlCall, killAll, startP2pd, tempDir, type DaemonProcess } from './daemon-process.js';

afterAll(killAll);

const MiB = 1024 * 1024;
// A quota whose per-sender share (a quarter) is below the per-sender byte burst (8 MiB): the share is what bites.
const QUOTA = 16 * MiB;
const SHARE = QUOTA / 4;

async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? 0) * 1024;
}

describe('a flood of large texts from one peer', () => {
  let receiver: DaemonProcess;
  let honest: DaemonProcess;
  let flooder: P2PNode & NodeExtensions;
  let flooderDir: string;

  beforeAll(async () => {
    receiver = await startP2pd(['--name', 'receiver', '--listen', '127.0.0.1:0', '--no-lan', '--metrics', '127.0.0.1:0', '--inbox-quota', '16MiB', '--log-level', 'info']);
    honest = await startP2pd(['--name', 'honest', '--listen', '127.0.0.1:0', '--no-lan']);
    const [c] = await controlCall(honest.ready.socket, { connect: { address: receiver.ready.listen, timeoutMs: 10_000 } });
    expect(c!.connect?.peerId).toBe(receiver.ready.peerId);
    flooderDir = await tempDir('inbox-flooder-');
    flooder = createNode({ dataDir: flooderDir, name: 'flooder', listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false } }) as P2PNode & NodeExtensions;
    await flooder.start();
    const [host, port] = receiver.ready.listen.split(':');
    await flooder.connect({ host: host!, port: Number(port) }, receiver.ready.peerId);
  });

  afterAll(async () => {
    await flooder?.stop();
    await receiver?.stop();
    await honest?.stop();
    if (flooderDir) await rm(flooderDir, { recursive: true, force: true });
  });

  it('fills only the flooder\'s share, answers the rest "inbox full", and lets an honest peer through', async () => {
    const rssBefore = await rssBytes(receiver.proc.pid!);
    // 1 MB texts; the protocol refuses chat texts over 64 KiB ("refused: too large", before anything is sent), so
    // the flood uses the largest text allowed.
    let size = 1_000_000;
    const probe = await flooder.send(receiver.ready.peerId, `probe ${'x'.repeat(size)}`, { timeoutMs: 20_000 }).catch((err: Error) => err);
    if (probe instanceof Error) {
      expect(probe).toMatchObject({ code: 'ERR_MESSAGE_TOO_LARGE' });
      size = MAX_CHAT_TEXT_BYTES - 64;
    } else {
      expect(['delivered', 'inbox-full']).toContain(probe.status);
    }
    // Three times the share in all: bounded in count and time.
    const count = Math.ceil((3 * SHARE) / size);
    let rssMax = rssBefore;
    const sampler = setInterval(() => void rssBytes(receiver.proc.pid!).then((r) => (rssMax = Math.max(rssMax, r)), () => undefined), 100);
    const statuses: string[] = [];
    const flood = (async () => {
      // Six in flight at a time: the flooder's own send queue stays under its byte cap.
      for (let i = 0; i < count; i += 6) {
        const batch = Array.from({ length: Math.min(6, count - i) }, (_, j) =>
          flooder.send(receiver.ready.peerId, `flood ${i + j} ${'x'.repeat(size)}`, { timeoutMs: 30_000 }));
        for (const r of await Promise.all(batch)) statuses.push(r.status);
      }
    })();
    const honestStatuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const [r] = await controlCall(honest.ready.socket, { send: { to: 'receiver', text: `honest ${i}`, timeoutMs: 30_000 } });
      honestStatuses.push(r?.send?.status ?? 'error');
    }
    await flood;
    clearInterval(sampler);
    const delivered = statuses.filter((s) => s === 'delivered').length;
    const full = statuses.filter((s) => s === 'inbox-full').length;
    console.log(`flood of ${count} texts of ${size} bytes: ${delivered} delivered, ${full} inbox-full; honest: ${honestStatuses.join(' ')}; receiver RSS ${(rssBefore / MiB).toFixed(0)} -> max ${(rssMax / MiB).toFixed(0)} MiB`);
    expect(honestStatuses).toEqual(Array(10).fill('delivered'));
    expect(delivered + full).toBe(count);
    expect(full).toBeGreaterThan(0);
    // What the flooder holds stays within its share (the probe included).
    const lines = (await readFile(join(receiver.dataDir, 'inbox.jsonl'), 'utf8')).split('\n').filter(Boolean);
    const flooderBytes = lines.filter((l) => decodeInboxRecord(l)?.from === 'flooder').reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
    expect(flooderBytes).toBeLessThanOrEqual(SHARE);
    expect((await stat(join(receiver.dataDir, 'inbox.jsonl'))).size).toBeLessThanOrEqual(QUOTA);
    expect(lines.filter((l) => decodeInboxRecord(l)?.from === 'honest')).toHaveLength(10);
    // Memory: the inbox queues at most 16 MiB, so the flood costs a bounded amount whatever its length.
    expect(rssMax - rssBefore).toBeLessThan(160 * MiB);
    const [s] = await controlCall(receiver.ready.socket, { status: {} });
    expect(Number(s!.status!.inbox!.refused)).toBe(full);
    const metrics = await (await fetch(`http://${receiver.ready.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^p2pd_inbox_refused_total\{reason="sender-share"\} [1-9]/m);
  });
});
