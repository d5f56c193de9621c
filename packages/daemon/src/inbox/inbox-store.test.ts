import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeInboxRecord, type InboxRecord } from './inbox-record.js';
import { openInbox } from './inbox-store.js';
import type { Inbox } from './inbox-types.js';

const record = (n: number, from = 'pa', text = `message ${n}`, at = n): InboxRecord => ({
  id: `id${n}`, from: 'alice', fromPeerId: from, to: 'bob', kind: 'direct', text, receivedAt: new Date(at).toISOString(),
});

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function tempPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pd-inbox-'));
  dirs.push(dir);
  return join(dir, 'inbox.jsonl');
}

async function ids(inbox: Inbox, limit = 0): Promise<string[]> {
  const snapshot = await inbox.snapshot(limit);
  const out: string[] = [];
  for await (const r of snapshot.records) out.push(r.id);
  return out;
}

describe('durable inbox', () => {
  it('keeps records across a reopen, in order, with mode 0600', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path });
    const seen: string[] = [];
    inbox.subscribe((r) => seen.push(r.id));
    for (let i = 0; i < 5; i++) inbox.append(record(i));
    await inbox.flush();
    expect(seen).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    await inbox.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const again = await openInbox({ path });
    expect(await ids(again)).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    expect(await ids(again, 2)).toEqual(['id3', 'id4']);
    expect(again.stats()).toMatchObject({ stored: 5, loading: false, disk: 'ok' });
    await again.close();
  });

  it('resolves appendDurable only once the record is in the file, and rejects once closed', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path });
    await inbox.appendDurable(record(7));
    expect(await readFile(path, 'utf8')).toContain('message 7');
    await inbox.close();
    await expect(inbox.appendDurable(record(8))).rejects.toMatchObject({ code: 'ERR_INBOX_WRITE' });
  });

  it('skips a torn last record, cuts it off, and appends cleanly after it', async () => {
    const path = await tempPath();
    const line = encodeInboxRecord(record(2));
    await writeFile(path, encodeInboxRecord(record(1)) + line.slice(0, line.length / 2));
    const inbox = await openInbox({ path });
    expect(await ids(inbox)).toEqual(['id1']);
    expect(inbox.stats().skipped).toBe(1);
    inbox.append(record(3));
    await inbox.close();
    const again = await openInbox({ path });
    expect(await ids(again)).toEqual(['id1', 'id3']);
    expect(again.stats().skipped).toBe(0);
    await again.close();
  });

  it('skips a corrupted record in the middle', async () => {
    const path = await tempPath();
    await writeFile(path, encodeInboxRecord(record(1)) + encodeInboxRecord(record(2)).replace('message', 'massage') + encodeInboxRecord(record(3)));
    const inbox = await openInbox({ path });
    // The load scan reads heads only: a damaged text is found (and skipped) when listed, and dropped by a prune.
    expect(await ids(inbox)).toEqual(['id1', 'id3']);
    expect(await inbox.prune({ keep: 2 })).toMatchObject({ removed: 2, kept: 1 });
    expect(await ids(inbox)).toEqual(['id3']);
    await inbox.close();
  });

  it('indexes records longer than a read chunk and lists the last ones by offset', async () => {
    const path = await tempPath();
    const big = 'é'.repeat(700_000); // 1.4 MB of UTF-8 per record
    await writeFile(path, [0, 1, 2].map((i) => encodeInboxRecord(record(i, `p${i}`, big))).join('') + encodeInboxRecord(record(3)));
    const inbox = await openInbox({ path, limits: { senderShareBytes: 2_000_000 } });
    expect(await ids(inbox, 2)).toEqual(['id2', 'id3']);
    expect(inbox.stats()).toMatchObject({ stored: 4, skipped: 0 });
    // The scan attributed each big record to its author: one more would pass p0's share.
    await expect(inbox.appendDurable(record(9, 'p0', big))).rejects.toMatchObject({ reason: 'sender-share' });
    await inbox.close();
  });

  it('counts a line that is not a record at all as skipped when loading', async () => {
    const path = await tempPath();
    await writeFile(path, `${encodeInboxRecord(record(1))}garbage line\n${encodeInboxRecord(record(3))}`);
    const inbox = await openInbox({ path });
    expect(await ids(inbox)).toEqual(['id1', 'id3']);
    expect(inbox.stats().skipped).toBe(1);
    await inbox.close();
  });

  it('refuses with "inbox full" past the quota and loses nothing already stored; a prune makes room', async () => {
    const path = await tempPath();
    const size = Buffer.byteLength(encodeInboxRecord(record(0)));
    const inbox = await openInbox({ path, limits: { totalBytes: size * 10, senderShareBytes: size * 10 } });
    for (let i = 0; i < 10; i++) await inbox.appendDurable(record(i));
    await expect(inbox.appendDurable(record(10))).rejects.toMatchObject({ code: 'ERR_INBOX_FULL', reason: 'total' });
    expect(inbox.stats()).toMatchObject({ stored: 10, refused: { total: 1 } });
    expect(await inbox.prune({ keep: 4 })).toEqual({ removed: 6, kept: 4, freedBytes: size * 6 });
    await inbox.appendDurable(record(10));
    expect(await ids(inbox)).toEqual(['id6', 'id7', 'id8', 'id9', 'id10']);
    await inbox.close();
    const again = await openInbox({ path });
    expect(await ids(again)).toEqual(['id6', 'id7', 'id8', 'id9', 'id10']);
    await again.close();
  });

  it('prunes by age and clears, on virtual time', async () => {
    const path = await tempPath();
    let now = 100_000;
    const inbox = await openInbox({ path, now: () => now });
    for (let i = 0; i < 10; i++) await inbox.appendDurable(record(i, 'pa', `m${i}`, i * 10_000));
    now = 100_000;
    expect(await inbox.prune({ olderThanMs: 35_000 })).toMatchObject({ removed: 7, kept: 3 });
    expect(await ids(inbox)).toEqual(['id7', 'id8', 'id9']);
    expect(await inbox.prune({ all: true })).toMatchObject({ removed: 3, kept: 0 });
    expect(await ids(inbox)).toEqual([]);
    expect((await stat(path)).size).toBe(0);
    await inbox.appendDurable(record(11));
    expect(await ids(inbox)).toEqual(['id11']);
    await inbox.close();
  });

  it("holds one author to its share while others still get in", async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path, limits: { senderShareBytes: 2000, senderRate: 1000 } });
    const big = 'x'.repeat(500);
    const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => inbox.appendDurable(record(i, 'flood', big))));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.reason)).toEqual(Array(7).fill('sender-share'));
    await inbox.appendDurable(record(99, 'honest'));
    expect(inbox.stats().refused['sender-share']).toBe(7);
    await inbox.close();
  });

  it('bounds what waits for the disk, per author and in all', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path, maxQueuedBytes: 3000, maxQueuedBytesPerSender: 1000, limits: { senderRate: 1000 } });
    let accepted = 0;
    for (let i = 0; i < 100; i++) if (inbox.append(record(i, 'flood'))) accepted++;
    expect(accepted).toBeLessThan(20);
    expect(inbox.stats().refused.backlog).toBe(100 - accepted);
    expect(inbox.append(record(200, 'other'))).toBe(true);
    await inbox.close();
  });

  it('lists from the file and follows live records without a gap or a repeat', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path });
    for (let i = 0; i < 3; i++) await inbox.appendDurable(record(i));
    const live: string[] = [];
    const pending = inbox.appendDurable(record(3));
    const snapshot = await inbox.snapshot(0, (r) => live.push(r.id));
    await pending;
    await inbox.appendDurable(record(4));
    const stored: string[] = [];
    for await (const r of snapshot.records) stored.push(r.id);
    expect([...stored, ...live]).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    snapshot.unsubscribe();
    await inbox.close();
  });
});
