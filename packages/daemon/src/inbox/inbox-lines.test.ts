import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLines, scanLines } from './inbox-lines.js';
import { encodeInboxRecord, type InboxRecord } from './inbox-record.js';

const record = (sender: string, text: string): InboxRecord => ({
  id: 'x', from: 'n', fromPeerId: sender, to: 'b', kind: 'direct', text, receivedAt: '2026-01-01T00:00:00.000Z',
});

describe('scanning the inbox file by heads', () => {
  it('finds every line and its author, with heads across the 1 MiB read boundary and long lines', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'p2pd-lines-'));
    const path = join(dir, 'inbox.jsonl');
    const overhead = encodeInboxRecord(record('first', '')).length;
    // The second record starts 7 bytes before the first read ends: its head is split between two reads.
    const lines = [
      encodeInboxRecord(record('first', 'a'.repeat(1024 * 1024 - 7 - overhead))),
      encodeInboxRecord(record('second', 'b')),
      encodeInboxRecord(record('third', 'c'.repeat(2_500_000))),
      'not a record\n',
      encodeInboxRecord(record('fourth', 'd')),
    ];
    await writeFile(path, lines.join(''));
    const fh = await open(path, 'r');
    try {
      const size = (await fh.stat()).size;
      const scanned = [];
      for await (const batch of scanLines(fh, 0, size)) scanned.push(...batch);
      expect(scanned.map((l) => l.sender)).toEqual(['first', 'second', 'third', undefined, 'fourth']);
      expect(scanned.map((l) => l.bytes)).toEqual(lines.map((l) => Buffer.byteLength(l)));
      expect(scanned[1]!.offset).toBe(1024 * 1024 - 7);
      const read = [];
      for await (const line of readLines(fh, scanned[2]!.offset, size)) read.push(line.text.slice(0, 30));
      expect(read).toHaveLength(3);
      expect(read[1]).toBe('not a record');
    } finally {
      await fh.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
