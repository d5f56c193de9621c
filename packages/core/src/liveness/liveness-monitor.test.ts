import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../session/session.js';
import { createLivenessMonitor, type LivenessMonitor } from './liveness-monitor.js';

/** Just what the monitor reads and calls on a session. */
function fakeSession(answers: 'pongs' | 'silent' | 'busy') {
  const s = {
    state: 'open',
    lastReceivedAt: performance.now(),
    unansweredPings: 0,
    pings: 0,
    sendPing() {
      s.pings++;
      s.unansweredPings++;
      if (answers === 'pongs') setTimeout(() => { s.lastReceivedAt = performance.now(); s.unansweredPings = 0; }, 5);
    },
  };
  return s;
}

let monitor: LivenessMonitor | undefined;
afterEach(() => monitor?.stop());

describe('liveness monitor', () => {
  it('declares dead a session that misses 3 pings, and only that one', async () => {
    const dead: string[] = [];
    const sessions = { alive: fakeSession('pongs'), silent: fakeSession('silent'), busy: fakeSession('busy') };
    // The busy peer never answers pings in time, but data keeps arriving: that is proof of life.
    const traffic = setInterval(() => { sessions.busy.lastReceivedAt = performance.now(); sessions.busy.unansweredPings = 0; }, 20);
    monitor = createLivenessMonitor({
      pingIntervalMs: 60, maxMissedPings: 3,
      onDead: (s) => dead.push(Object.entries(sessions).find(([, v]) => v === (s as unknown))![0]),
    });
    const t0 = performance.now();
    for (const s of Object.values(sessions)) monitor.track(s as unknown as Session);
    await new Promise((r) => setTimeout(r, 600));
    clearInterval(traffic);
    expect(dead).toEqual(['silent']);
    expect(sessions.silent.pings).toBeGreaterThanOrEqual(3);
    expect(sessions.alive.pings).toBeGreaterThanOrEqual(5);
    expect(performance.now() - t0).toBeGreaterThan(180);
  });
});
