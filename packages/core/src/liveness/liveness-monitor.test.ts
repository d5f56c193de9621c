import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../testing/virtual-clock.js';
import { every } from '../util/clock.js';
import { createLivenessMonitor, type LivenessMonitor, type LivenessSession } from './liveness-monitor.js';

/** Just what the monitor reads and calls on a session, answering on the virtual clock. */
function fakeSession(clock: VirtualClock, answers: 'pongs' | 'silent' | 'busy') {
  const s = {
    state: 'open' as LivenessSession['state'],
    lastReceivedAt: clock.now(),
    unansweredPings: 0,
    pings: 0,
    sendPing() {
      s.pings++;
      s.unansweredPings++;
      if (answers === 'pongs') clock.setTimeout(() => { s.lastReceivedAt = clock.now(); s.unansweredPings = 0; }, 5);
    },
  };
  return s;
}

let monitor: LivenessMonitor | undefined;
afterEach(() => monitor?.stop());

describe('liveness monitor (virtual time)', () => {
  it('declares dead a session that misses 3 pings, and only that one', () => {
    const clock = new VirtualClock(1000);
    const dead: string[] = [];
    const sessions = { alive: fakeSession(clock, 'pongs'), silent: fakeSession(clock, 'silent'), busy: fakeSession(clock, 'busy') };
    // The busy peer never answers pings in time, but data keeps arriving: that is proof of life.
    every(clock, 20, () => { sessions.busy.lastReceivedAt = clock.now(); sessions.busy.unansweredPings = 0; });
    monitor = createLivenessMonitor({
      pingIntervalMs: 60, maxMissedPings: 3, clock, random: () => 0.5,
      onDead: (s) => dead.push(Object.entries(sessions).find(([, v]) => v === s)![0]),
    });
    for (const s of Object.values(sessions)) monitor.track(s);
    clock.advance(179);
    expect(dead).toEqual([]);
    clock.advance(600 - 179);
    expect(dead).toEqual(['silent']);
    expect(sessions.silent.pings).toBeGreaterThanOrEqual(3);
    expect(sessions.alive.pings).toBeGreaterThanOrEqual(5);
  });

  it('detects silence within maxMissedPings+1 intervals, and never before maxMissedPings intervals', () => {
    const clock = new VirtualClock(0);
    let deadAt: number | undefined;
    const s = fakeSession(clock, 'silent');
    monitor = createLivenessMonitor({ pingIntervalMs: 750, maxMissedPings: 3, clock, random: () => 0, onDead: () => { deadAt = clock.now(); } });
    monitor.track(s);
    clock.advance(2249);
    expect(deadAt).toBeUndefined();
    clock.advance(4000 - 2249);
    expect(deadAt).toBeGreaterThanOrEqual(2250);
    expect(deadAt).toBeLessThanOrEqual(3000);
  });

  it('stops ticking once stopped', () => {
    const clock = new VirtualClock(0);
    const s = fakeSession(clock, 'silent');
    const dead: unknown[] = [];
    monitor = createLivenessMonitor({ pingIntervalMs: 60, maxMissedPings: 3, clock, onDead: (x) => dead.push(x) });
    monitor.track(s);
    monitor.stop();
    clock.advance(10_000);
    expect(dead).toEqual([]);
    expect(s.pings).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
