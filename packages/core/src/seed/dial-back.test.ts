import { describe, expect, it } from 'vitest';
import { createDialBack } from './dial-back.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createDialBack', () => {
  it('proves at most `concurrency` peers at once, one per peer, within a bounded backlog', async () => {
    const started: string[] = [];
    const finish = new Map<string, (ok: boolean) => void>();
    const proven: string[] = [];
    const d = createDialBack({
      concurrency: 2, maxQueued: 3,
      probe: (peerId) => { started.push(peerId); return new Promise<boolean>((r) => finish.set(peerId, r)); },
      onProven: (peerId) => proven.push(peerId),
    });
    for (const p of ['a', 'b', 'a', 'c', 'd', 'e', 'f', 'g']) d.request(p, { host: '10.0.0.1', port: 1 });
    await flush();
    // a and b run; c, d, e wait; a's repeat was ignored, and f, g found the backlog full.
    expect(started).toEqual(['a', 'b']);
    expect(d.pending).toBe(5);
    finish.get('a')!(true);
    finish.get('b')!(false);
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(proven).toEqual(['a']);
    d.stop();
    finish.get('c')!(true);
    await flush();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
    expect(proven).toEqual(['a']);
  });
});
