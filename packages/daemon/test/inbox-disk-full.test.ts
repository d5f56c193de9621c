/**
 * "Delivered" means kept, also on a full disk: a receiver whose data directory is a tmpfs filled to the last byte
 * while a peer sends. Skipped cleanly where this process may not mount (not root).
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeInboxRecord } from '../src/inbox/index.js';
import { controlCall, eventually, killAll, startP2pd, tempDir, type DaemonProcess } from './daemon-process.js';
import { canMountTmpfs, fillToTheLastByte, freeBytes, mountTmpfs, type Tmpfs } from './tmpfs.js';

afterAll(killAll);

const mountable = canMountTmpfs();
if (!mountable) console.log('skipped: mounting a tmpfs needs root (CAP_SYS_ADMIN)');

const BASE = ['--listen', '127.0.0.1:0', '--no-lan'];

async function send(from: DaemonProcess, to: string, text: string) {
  const [r] = await controlCall(from.ready.socket, { send: { to, text, timeoutMs: 10_000 } });
  return r?.send?.status ?? `error ${r?.error?.code}`;
}

async function inboxTexts(d: DaemonProcess): Promise<string[]> {
  const rs = await controlCall(d.ready.socket, { inbox: {} }, (x) => x.some((r) => r.inboxEnd));
  return rs.flatMap((r) => (r.inboxEntry ? [r.inboxEntry.text ?? ''] : []));
}

async function inboxStatus(d: DaemonProcess) {
  const [r] = await controlCall(d.ready.socket, { status: {} });
  return r!.status!.inbox!;
}

describe.skipIf(!mountable)('a full disk under the inbox (tmpfs filled to the last byte)', () => {
  let fs: Tmpfs;
  let receiver: DaemonProcess;
  let sender: DaemonProcess;
  let dataDir: string;
  let socketDir: string;
  const filler = () => join(fs.dir, 'filler');
  const acknowledged: string[] = [];
  const refused: string[] = [];

  const startReceiver = async () =>
    startP2pd([...BASE, '--name', 'receiver', '--metrics', '127.0.0.1:0', '--socket', join(socketDir, 'receiver.sock')], dataDir);

  beforeAll(async () => {
    fs = await mountTmpfs('2m');
    dataDir = join(fs.dir, 'data');
    // The control socket lives outside the small disk: only the data directory is starved.
    socketDir = await tempDir('inbox-sock-');
    receiver = await startReceiver();
    sender = await startP2pd([...BASE, '--name', 'sender']);
    const [c] = await controlCall(sender.ready.socket, { connect: { address: receiver.ready.listen, timeoutMs: 10_000 } });
    expect(c!.connect?.peerId).toBe(receiver.ready.peerId);
  });

  afterAll(async () => {
    await receiver?.stop();
    await sender?.stop();
    await fs?.unmount();
    if (socketDir) await rm(socketDir, { recursive: true, force: true });
  });

  it('answers "not delivered" once the disk is full, keeps every acknowledged record whole, and stays up', async () => {
    expect(await send(sender, 'receiver', 'stored before the disk filled up')).toBe('delivered');
    acknowledged.push('stored before the disk filled up');
    // Fill the disk to the last byte, then give back 4 pages: room for a few records, and a record that is torn.
    const size = fillToTheLastByte(filler());
    await freeBytes(filler(), size, 16 * 1024);
    const statuses: string[] = [];
    for (let i = 0; i < 12; i++) {
      const text = `record ${String(i).padStart(2, '0')} ${'x'.repeat(3000)}`;
      const status = await send(sender, 'receiver', text);
      statuses.push(status);
      (status === 'delivered' ? acknowledged : refused).push(text);
    }
    console.log(`statuses while the disk filled up: ${statuses.join(' ')}`);
    expect(statuses).toContain('delivered');
    expect(statuses).toContain('not-stored');
    expect(statuses.every((s) => s === 'delivered' || s === 'not-stored')).toBe(true);
    // Every line of the file is a whole record: the torn write was cut back, nothing is glued to it.
    const file = await readFile(join(dataDir, 'inbox.jsonl'), 'utf8');
    expect(file.endsWith('\n')).toBe(true);
    const lines = file.slice(0, -1).split('\n');
    expect(lines.map((l) => decodeInboxRecord(l)?.text)).toEqual(acknowledged);
    // The daemon is up and says what is wrong: status, metrics, log.
    const status = await inboxStatus(receiver);
    expect(status).toMatchObject({ disk: 'full', messages: acknowledged.length });
    expect(status.lastError).toMatch(/^ENOSPC/);
    expect(Number(status.writeFailures)).toBeGreaterThanOrEqual(refused.length);
    const metrics = await (await fetch(`http://${receiver.ready.metrics}/metrics`)).text();
    expect(metrics).toMatch(/^p2pd_inbox_disk_full 1$/m);
    expect(metrics).toMatch(/^p2pd_inbox_write_errors_total [1-9]/m);
    expect(receiver.lines.some((l) => l.includes('inbox: the disk is full'))).toBe(true);
    // The record that did not fit was written in part (a short write) and cut off again.
    expect(receiver.lines.some((l) => l.includes('inbox: cut a torn record off'))).toBe(true);
  });

  it('writes new records cleanly once space returns, and reports the disk fine again', async () => {
    await rm(filler());
    for (let i = 0; i < 3; i++) {
      const text = `after space returned ${i}`;
      expect(await send(sender, 'receiver', text)).toBe('delivered');
      acknowledged.push(text);
    }
    expect(await inboxStatus(receiver)).toMatchObject({ disk: 'ok', messages: acknowledged.length });
    expect(receiver.lines.some((l) => l.includes('inbox: writes succeed again'))).toBe(true);
  });

  it('keeps every acknowledged message across a restart, and none that was answered "not delivered"', async () => {
    expect(await receiver.stop('SIGTERM')).toBe(0);
    receiver = await startReceiver();
    await eventually(async () => (await inboxStatus(receiver)).messages === acknowledged.length, 10_000, 'the inbox to load');
    expect(await inboxTexts(receiver)).toEqual(acknowledged);
    expect(receiver.lines.some((l) => l.includes('torn') || l.includes('skipped'))).toBe(false);
    for (const text of refused) expect(acknowledged).not.toContain(text);
  });

  it('makes room on a full disk: a prune that needs space says so and changes nothing; a clear needs none', async () => {
    // The restarted receiver listens on a new port: the sender dials it again.
    const [c] = await controlCall(sender.ready.socket, { connect: { address: receiver.ready.listen, timeoutMs: 10_000 } });
    expect(c!.connect?.peerId).toBe(receiver.ready.peerId);
    fillToTheLastByte(filler());
    const [pruned] = await controlCall(receiver.ready.socket, { inboxPrune: { keep: 2 } });
    expect(pruned!.error?.message).toMatch(/not enough free space for the pruned copy \(p2p-cli inbox --clear needs none\)/);
    expect(await inboxTexts(receiver)).toEqual(acknowledged);
    const [cleared] = await controlCall(receiver.ready.socket, { inboxPrune: { all: true } });
    expect(cleared!.inboxPrune).toMatchObject({ removed: acknowledged.length, kept: 0 });
    expect(await inboxTexts(receiver)).toEqual([]);
    // The room the inbox gave back takes new messages at once.
    expect(await send(sender, 'receiver', 'after the clear')).toBe('delivered');
    expect(await inboxTexts(receiver)).toEqual(['after the clear']);
  });
});
