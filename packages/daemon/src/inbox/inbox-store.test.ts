import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeInboxRecord, type InboxRecord } from './inbox-record.js';
import { openInbox } from './inbox-store.js';

const record = (n: number): InboxRecord => ({
  id: `id${n}`, from: 'alice', fromPeerId: 'pa', to: 'bob', kind: 'direct', text: `message ${n}`, receivedAt: new Date(n).toISOString(),
});

async function tempPath(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'p2pd-inbox-')), 'inbox.jsonl');
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
    expect(again.list().map((r) => r.id)).toEqual(['id0', 'id1', 'id2', 'id3', 'id4']);
    expect(again.list(2).map((r) => r.id)).toEqual(['id3', 'id4']);
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
    expect(inbox.list().map((r) => r.id)).toEqual(['id1']);
    expect(inbox.stats().skipped).toBe(1);
    inbox.append(record(3));
    await inbox.close();
    const again = await openInbox({ path });
    expect(again.list().map((r) => r.id)).toEqual(['id1', 'id3']);
    expect(again.stats().skipped).toBe(0);
    await again.close();
  });

  it('skips a corrupted record in the middle', async () => {
    const path = await tempPath();
    await writeFile(path, encodeInboxRecord(record(1)) + encodeInboxRecord(record(2)).replace('message', 'massage') + encodeInboxRecord(record(3)));
    const inbox = await openInbox({ path });
    expect(inbox.list().map((r) => r.id)).toEqual(['id1', 'id3']);
    expect(inbox.stats().skipped).toBe(1);
    await inbox.close();
  });

  it('stays bounded: memory holds `retain` records and the file is compacted', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path, retain: 10 });
    for (let i = 0; i < 35; i++) {
      inbox.append(record(i));
      if (i % 4 === 0) await inbox.flush();
    }
    await inbox.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(20);
    const again = await openInbox({ path, retain: 10 });
    expect(again.list().map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `id${25 + i}`));
    await again.close();
  });

  it('drops new records instead of buffering without bound when writes fall behind', async () => {
    const path = await tempPath();
    const inbox = await openInbox({ path, maxPendingBytes: 1000 });
    let accepted = 0;
    for (let i = 0; i < 100; i++) if (inbox.append(record(i))) accepted++;
    expect(accepted).toBeLessThan(100);
    expect(inbox.stats().dropped).toBe(100 - accepted);
    await inbox.close();
  });
});
