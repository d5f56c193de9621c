import { describe, expect, it } from 'vitest';
import { appendRecords, type InboxFile } from './inbox-file.js';

/** An in-memory file whose disk holds `capacity` bytes: writes past it are short, then fail with ENOSPC. */
function smallDisk(capacity: number, faults: { sync?: boolean; truncate?: boolean } = {}) {
  let data = Buffer.alloc(0);
  const file: InboxFile = {
    async write(buffer, offset, length, position) {
      if (position > data.length) data = Buffer.concat([data, Buffer.alloc(position - data.length)]);
      const room = Math.max(0, capacity - position);
      if (room === 0) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      const n = Math.min(length, room);
      const next = Buffer.alloc(Math.max(data.length, position + n));
      data.copy(next);
      Buffer.from(buffer.buffer, buffer.byteOffset + offset, n).copy(next, position);
      data = next;
      return { bytesWritten: n };
    },
    async datasync() {
      if (faults.sync) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
    },
    async truncate(length) {
      if (faults.truncate) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      data = data.subarray(0, length);
    },
  };
  return { file, text: () => data.toString(), free: (bytes: number) => (capacity += bytes) };
}

const lines = (...texts: string[]) => texts.map((t) => Buffer.from(`${t}\n`));

describe('appendRecords: whole records or nothing, on a disk that fills up', () => {
  it('writes and syncs every record when there is room', async () => {
    const disk = smallDisk(100);
    expect(await appendRecords(disk.file, 0, lines('one', 'two'))).toEqual({ kept: 2, end: 8 });
    expect(disk.text()).toBe('one\ntwo\n');
  });

  it('keeps the records written whole before ENOSPC and cuts the torn one off', async () => {
    const disk = smallDisk(10);
    const outcome = await appendRecords(disk.file, 0, lines('one', 'two', 'three'));
    expect(outcome).toMatchObject({ kept: 2, end: 8, cut: 2, error: { code: 'ENOSPC' } });
    expect(disk.text()).toBe('one\ntwo\n');
    // Space comes back: the next record starts right after the last whole one, never glued to a torn one.
    disk.free(100);
    expect(await appendRecords(disk.file, outcome.end, lines('four'))).toEqual({ kept: 1, end: 13 });
    expect(disk.text()).toBe('one\ntwo\nfour\n');
  });

  it('trusts nothing of a batch whose sync failed, and cuts it all off', async () => {
    const disk = smallDisk(100, { sync: true });
    const outcome = await appendRecords(disk.file, 0, lines('one', 'two'));
    expect(outcome).toMatchObject({ kept: 0, end: 0, error: { code: 'EIO' } });
    expect(disk.text()).toBe('');
  });

  it('says when the file could not even be cut back', async () => {
    const disk = smallDisk(5, { truncate: true });
    expect(await appendRecords(disk.file, 0, lines('one', 'two'))).toMatchObject({ kept: 0, end: 0, dirty: true });
  });
});
