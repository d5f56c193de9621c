import { describe, expect, it } from 'vitest';
import { RequestWindow } from './request-window.js';

const KIB = 1024;
const init = { requestBytes: 512 * KIB, maxBytes: 8192 * KIB, targetDelayMs: 10 };

describe('RequestWindow', () => {
  it('starts at two requests and grows while answers come back at the base latency', () => {
    const w = new RequestWindow(init);
    expect(w.bytes).toBe(1024 * KIB);
    let t = 0;
    for (let i = 0; i < 200; i++) w.delivered(512 * KIB, 3, (t += 3));
    expect(w.bytes).toBe(8192 * KIB);
  });

  it('shrinks when latency rises past base + target, down to two requests, and settles where the queue meets the target', () => {
    const w = new RequestWindow(init);
    let t = 0;
    for (let i = 0; i < 200; i++) w.delivered(512 * KIB, 3, (t += 3));
    for (let i = 0; i < 200; i++) w.delivered(512 * KIB, 40, (t += 5));
    expect(w.bytes).toBe(1024 * KIB);
    // A link of 400 KiB/ms with a 3 ms base: each answer's latency is the window's bytes in front of it.
    for (let i = 0; i < 2000; i++) w.delivered(512 * KIB, 3 + w.bytes / (400 * KIB), (t += 5));
    const queueMs = w.bytes / (400 * KIB);
    expect(queueMs).toBeGreaterThan(7);
    expect(queueMs).toBeLessThan(13);
  });

  it('forgets an old minimum, so a slower path is not read as a queue forever', () => {
    const w = new RequestWindow(init);
    w.delivered(512 * KIB, 1, 0);
    let t = 0;
    for (let i = 0; i < 300; i++) w.delivered(512 * KIB, 30, (t += 1000));
    expect(w.baseMs).toBe(30);
    expect(w.bytes).toBe(8192 * KIB);
  });

  it('halves on a lost request, never below two requests', () => {
    const w = new RequestWindow(init);
    let t = 0;
    for (let i = 0; i < 200; i++) w.delivered(512 * KIB, 3, (t += 3));
    w.lost();
    expect(w.bytes).toBe(4096 * KIB);
    for (let i = 0; i < 10; i++) w.lost();
    expect(w.bytes).toBe(1024 * KIB);
  });
});
