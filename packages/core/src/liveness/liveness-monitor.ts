import type { Session } from '../session/session.js';

/** Timings of liveness checks. */
export interface LivenessOptions {
  /** Interval between pings on every session; default 750 ms. */
  pingIntervalMs?: number;
  /** Pings missed in a row before a peer is declared dead; default 3. */
  maxMissedPings?: number;
  /** Called once when a session's peer is declared dead. */
  onDead(session: Session, detail: string): void;
}

/** Pings every tracked session and declares dead the ones that stay silent. */
export interface LivenessMonitor {
  /** Starts watching an open session. */
  track(session: Session): void;
  /** Stops watching a session. */
  untrack(session: Session): void;
  /** Stops the timer. */
  stop(): void;
}

/**
 * One timer per node, not per session, so hundreds of simulated nodes stay cheap. Any frame received counts as
 * proof of life (Session resets unansweredPings on every frame), so a busy peer whose pongs queue behind data is
 * not declared dead. A peer is dead once `maxMissedPings` pings went unanswered and nothing at all arrived for
 * `maxMissedPings` intervals: with the defaults detection takes 2.25-3 s.
 */
export function createLivenessMonitor(options: LivenessOptions): LivenessMonitor {
  const interval = options.pingIntervalMs ?? 750;
  const maxMissed = options.maxMissedPings ?? 3;
  const sessions = new Set<Session>();
  // Ticks at a third of the interval so that silence is noticed soon after the deadline, while each session is
  // still pinged only once per interval.
  const tickMs = Math.max(10, Math.floor(interval / 3));
  const lastPing = new Map<Session, number>();
  const timer = setInterval(() => {
    const now = performance.now();
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
  }, tickMs);
  timer.unref?.();
  return {
    track(session) {
      sessions.add(session);
      // Spread the first pings so that many sessions do not all ping in the same tick.
      lastPing.set(session, performance.now() - Math.random() * interval);
    },
    untrack(session) { sessions.delete(session); lastPing.delete(session); },
    stop() { clearInterval(timer); sessions.clear(); lastPing.clear(); },
  };
}
