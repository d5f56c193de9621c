import { describe, expect, it } from 'vitest';
import type { InboxRecord } from './inbox-record.js';
import { streamInbox, type InboxSink } from './inbox-stream.js';
import type { Inbox, InboxSnapshot } from './inbox-types.js';

const record = (n: number): InboxRecord => ({
  id: `id${n}`, from: 'a', fromPeerId: 'pa', to: 'b', kind: 'direct', text: `m${n}`, receivedAt: new Date(n).toISOString(),
});

/** An inbox whose snapshot holds `stored` and whose live listener the test drives. */
function fakeInbox(stored: InboxRecord[]) {
  let live: ((r: InboxRecord) => void) | undefined;
  let closed = 0;
  let unsubscribed = 0;
  const inbox = {
    async snapshot(_limit: number, listener?: (r: InboxRecord) => void): Promise<InboxSnapshot> {
      live = listener;
      return {
        count: stored.length,
        records: (async function* () {
          for (const r of stored) {
            yield r;
            await Promise.resolve();
          }
        })(),
        unsubscribe: () => void unsubscribed++,
        close: async () => void closed++,
      };
    },
  } as unknown as Inbox;
  return { inbox, push: (r: InboxRecord) => live?.(r), closed: () => closed, unsubscribed: () => unsubscribed };
}

function sink(limit = Infinity) {
  const sent: string[] = [];
  let drains = 0;
  let overflowed = false;
  const s: InboxSink = {
    entry: (r) => (sent.length < limit ? (sent.push(r.id), true) : false),
    end: (count) => void sent.push(`end:${count}`),
    drained: async () => void drains++,
    overflow: () => void (overflowed = true),
    gone: () => sent.length >= limit,
  };
  return { s, sent, drains: () => drains, overflowed: () => overflowed };
}

describe('streamInbox', () => {
  it('sends the stored records, the end, then live ones held back meanwhile, in order, pacing on the client', async () => {
    const f = fakeInbox(Array.from({ length: 130 }, (_, i) => record(i)));
    const out = sink();
    const done = streamInbox(f.inbox, { limit: 0, follow: true }, out.s);
    await Promise.resolve();
    await Promise.resolve();
    f.push(record(1000));
    await done;
    f.push(record(1001));
    expect(out.sent.slice(-4)).toEqual(['id129', 'end:130', 'id1000', 'id1001']);
    expect(out.sent).toHaveLength(133);
    expect(out.drains()).toBe(2);
    expect(f.closed()).toBe(1);
  });

  it('stops reading, closes the file and unsubscribes when the client goes', async () => {
    const f = fakeInbox(Array.from({ length: 100 }, (_, i) => record(i)));
    const out = sink(10);
    await streamInbox(f.inbox, { limit: 0, follow: true }, out.s);
    expect(out.sent).toHaveLength(10);
    expect(f.closed()).toBe(1);
    expect(f.unsubscribed()).toBe(1);
  });

  it('gives up on a follower whose held-back live records pass the bound', async () => {
    const f = fakeInbox([record(0)]);
    const out = sink();
    const done = streamInbox(f.inbox, { limit: 0, follow: true }, out.s);
    await Promise.resolve();
    await Promise.resolve();
    for (let i = 0; i < 10_001; i++) f.push(record(i + 1));
    await done;
    expect(out.overflowed()).toBe(true);
    expect(out.sent).not.toContain('end:1');
    expect(f.unsubscribed()).toBe(1);
  });
});
