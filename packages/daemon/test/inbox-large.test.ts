/**
 * A large inbox: SIGTERM right after start stops the daemon at once (the inbox is indexed in the background, never
 * compacted at start), nothing stored is dropped, and listing reads from the file, not from memory.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeInboxRecord } from '../src/inbox/index.js';
import { controlCall, eventually, killAll, startP2pd, tempDir } from './daemon-process.js';

afterAll(killAll);

const RECORDS = 50_000;

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function rssOf(pid: number): Promise<number> {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

async function writeInbox(path: string): Promise<number> {
  const fh = await open(path, 'w', 0o600);
  const text = 'y'.repeat(1000);
  try {
    for (let i = 0; i < RECORDS; i += 1000) {
      const lines: string[] = [];
      for (let j = i; j < i + 1000; j++) {
        lines.push(encodeInboxRecord({
          id: `id${j}`, from: `sender${j % 50}`, fromPeerId: `peer${j % 50}`, to: 'me', kind: 'direct', text, receivedAt: new Date(1e12 + j).toISOString(),
        }));
      }
      await fh.write(lines.join(''));
    }
  } finally {
    await fh.close();
  }
  return (await stat(path)).size;
}

describe('a large inbox', () => {
  it('stops on SIGTERM right after start, keeps every record, and lists the newest from the file', async () => {
    const dir = await tempDir('inbox-large-');
    try {
      const path = join(dir, 'inbox.jsonl');
      const size = await writeInbox(path);
      const args = ['--name', 'big', '--listen', '127.0.0.1:0', '--no-lan'];
      const first = await startP2pd(args, dir);
      const began = Date.now();
      expect(await first.stop('SIGTERM')).toBe(0);
      console.log(`p2pd with a ${(size / 1024 / 1024).toFixed(0)} MiB inbox (${RECORDS} messages) stopped ${Date.now() - began} ms after SIGTERM`);
      expect((await stat(path)).size).toBe(size);

      const again = await startP2pd(args, dir);
      await eventually(async () => {
        const [r] = await controlCall(again.ready.socket, { status: {} });
        return Number(r?.status?.inbox?.messages) === RECORDS;
      }, 30_000, 'the inbox to be indexed');
      const last = await controlCall(again.ready.socket, { inbox: { limit: 3 } }, (rs) => rs.some((r) => r.inboxEnd));
      expect(last.flatMap((r) => (r.inboxEntry ? [r.inboxEntry.id] : []))).toEqual([`id${RECORDS - 3}`, `id${RECORDS - 2}`, `id${RECORDS - 1}`]);
      // Baseline in the same run: a daemon with an empty inbox.
      const empty = await startP2pd(args);
      const [rss, baseline] = await Promise.all([rssOf(again.proc.pid!), rssOf(empty.proc.pid!)]);
      console.log(`RSS with ${RECORDS} messages indexed: ${mib(rss)} MiB; with an empty inbox: ${mib(baseline)} MiB`);
      // The texts stay on disk: the index is a few bytes per message, far below the file's size.
      expect(rss - baseline).toBeLessThan(size / 2);
      expect(await again.stop('SIGTERM')).toBe(0);
      expect(await empty.stop('SIGTERM')).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
