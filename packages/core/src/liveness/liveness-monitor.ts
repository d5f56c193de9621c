import { every, monotonicNow, systemClock, type Clock } from '../util/clock.js';

/** What liveness reads and calls on a session: a small view, so it does not depend on the Session class. */
export interface LivenessSession {
  /** Only open sessions are pinged; others are dropped from the watch list. */
  readonly state: 'handshaking' | 'open' | 'closing' | 'closed';
  /** Monotonic time (Clock.monotonic of the same clock) of the last frame received. */
  readonly lastReceivedAt: number;
  /** Pings sent since the last frame received. */
  readonly unansweredPings: number;
  /** Sends a Ping. */
  sendPing(): unknown;
}

/** Timings of liveness checks. */
export interface LivenessOptions<S extends LivenessSession = LivenessSession> {
  /** Interval between pings on every session; default 750 ms. */
  pingIntervalMs?: number;
  /** Pings missed in a row before a peer is declared dead; default 3. */
  maxMissedPings?: number;
  /** Called once when a session's peer is declared dead. */
  onDead(session: S, detail: string): void;
  /** Time source of the ticks; the process clock by default (the sessions' clock: lastReceivedAt is compared with it). */
  clock?: Clock;
  /** Random source in [0, 1) that spreads the first pings; Math.random by default. */
  random?: () => number;
}

/** Pings every tracked session and declares dead the ones that stay silent. */
export interface LivenessMonitor<S extends LivenessSession = LivenessSession> {
  /** Starts watching an open session. */
  track(session: S): void;
  /** Stops watching a session. */
  untrack(session: S): void;
  /** Stops the timer. */
  stop(): void;
}

/**
 * One timer per node, not per session, so hundreds of simulated nodes stay cheap. Any frame received counts as
 * proof of life (Session resets unansweredPings on every frame), so a busy peer whose pongs queue behind data is
 * not declared dead. A peer is dead once `maxMissedPings` pings went unanswered and nothing at all arrived for
 * `maxMissedPings` intervals: with the defaults detection takes 2.25-3 s.
 */
export function createLivenessMonitor<S extends LivenessSession>(options: LivenessOptions<S>): LivenessMonitor<S> {
  const interval = options.pingIntervalMs ?? 750;
  const maxMissed = options.maxMissedPings ?? 3;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const sessions = new Set<S>();
  // Ticks at a third of the interval so that silence is noticed soon after the deadline, while each session is
  // still pinged only once per interval.
  const tickMs = Math.max(10, Math.floor(interval / 3));
  const lastPing = new Map<S, number>();
  const timer = every(clock, tickMs, () => {
    const now = monotonicNow(clock);
    for (const s of sessions) {
      if (s.state !== 'open') { sessions.delete(s); lastPing.delete(s); continue; }
      const silentFor = now - s.lastReceivedAt;
      if (s.unansweredPings >= maxMissed && silentFor >= maxMissed * interval) {
        sessions.delete(s);
        lastPing.delete(s);
        options.onDead(s, `missed ${s.unansweredPings} pings, silent for ${Math.round(silentFor)} ms`);
        continue;
      }
      if (now - (lastPing.get(s) ?? 0) >= interval - tickMs / 2) {
        lastPing.set(s, now);
        s.sendPing();
      }
    }
  });
  return {
    track(session) {
      sessions.add(session);
      // Spread the first pings so that many sessions do not all ping in the same tick.
      lastPing.set(session, monotonicNow(clock) - random() * interval);
    },
    untrack(session) { sessions.delete(session); lastPing.delete(session); },
    stop() { timer.stop(); sessions.clear(); lastPing.clear(); },
  };
}
