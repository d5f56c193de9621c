import { describe, expect, it } from 'vitest';
import { SenderBusyError } from '../errors.js';
import { createSenderFairness } from './sender-fairness.js';

/** A task that finishes when the test says so. */
function gated(log: string[], name: string): { task: () => Promise<string>; finish(): void } {
  let finish!: () => void;
  const done = new Promise<void>((r) => { finish = r; });
  return { task: async () => { log.push(`start ${name}`); await done; return name; }, finish: () => finish() };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('createSenderFairness', () => {
  it('starts waiting tasks round-robin by sender, so a flooder waits behind itself', async () => {
    const log: string[] = [];
    const gate = createSenderFairness({ concurrency: 1 });
    const first = gated(log, 'flood-0');
    const results: Promise<string>[] = [gate.run('flooder', first.task)];
    const rest: { task: () => Promise<string>; finish(): void }[] = [];
    for (let i = 1; i <= 5; i++) { const g = gated(log, `flood-${i}`); rest.push(g); results.push(gate.run('flooder', g.task)); }
    const honest = gated(log, 'honest');
    results.push(gate.run('honest', honest.task));
    await flush();
    expect(log).toEqual(['start flood-0']);
    first.finish();
    await flush();
    rest[0]!.finish();
    await flush();
    // flood-1 ran next (the flooder's turn), then the honest sender's turn came before flood-2.
    expect(log.slice(0, 3)).toEqual(['start flood-0', 'start flood-1', 'start honest']);
    honest.finish();
    for (const g of rest) g.finish();
    await expect(results[results.length - 1]).resolves.toBe('honest');
  });

  it('refuses with SenderBusyError beyond one sender\'s share, and keeps serving others', async () => {
    const gate = createSenderFairness({ concurrency: 1, maxQueuedPerSender: 2 });
    const log: string[] = [];
    const hold = gated(log, 'hold');
    void gate.run('a', hold.task);
    void gate.run('a', async () => 'a1');
    void gate.run('a', async () => 'a2');
    await expect(gate.run('a', async () => 'a3')).rejects.toBeInstanceOf(SenderBusyError);
    const b = gate.run('b', async () => 'b1');
    expect(gate.stats()).toMatchObject({ running: 1, queued: 3, senders: 2, refused: 1 });
    hold.finish();
    await expect(b).resolves.toBe('b1');
  });

  it('runs up to its concurrency at once and passes rejections through', async () => {
    const gate = createSenderFairness({ concurrency: 3 });
    const log: string[] = [];
    const tasks = [gated(log, '1'), gated(log, '2'), gated(log, '3'), gated(log, '4')];
    const ps = tasks.map((t) => gate.run('x', t.task));
    await flush();
    expect(log).toEqual(['start 1', 'start 2', 'start 3']);
    const failing = gate.run('y', async () => { throw new Error('disk full'); }).catch((e: Error) => e.message);
    for (const t of tasks) t.finish();
    await expect(failing).resolves.toBe('disk full');
    await expect(Promise.all(ps)).resolves.toEqual(['1', '2', '3', '4']);
  });
});
