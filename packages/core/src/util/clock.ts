/**
 * Time source and timers used by every protocol timer of core (sessions, liveness, seeds, mesh, broadcast, direct).
 * Injectable so that unit tests and simulations of hundreds of nodes run on a deterministic virtual clock.
 */

/** Opaque handle of a scheduled callback. */
export type TimerHandle = unknown;

/** A clock with one-shot timers. */
export interface Clock {
  /** Milliseconds since the Unix epoch (or since the start of a simulation). */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a callback scheduled with setTimeout; unknown handles are ignored. */
  clearTimeout(handle: TimerHandle): void;
  /**
   * A monotonic, sub-millisecond time for measuring durations (round trips, silence); `now()` when absent.
   * Never compared with `now()`.
   */
  monotonic?(): number;
}

/** The process clock: Date.now and Node timers, unref'd so that protocol timers never keep a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
  monotonic: () => performance.now(),
};

/** The clock's monotonic time (see Clock.monotonic). */
export function monotonicNow(clock: Clock): number {
  return clock.monotonic ? clock.monotonic() : clock.now();
}

/** A repeating timer. */
export interface Repeating {
  /** Stops it; no further run starts. */
  stop(): void;
}

/** Runs `fn` every `ms` milliseconds on `clock` until stopped (the next run is scheduled before this one runs). */
export function every(clock: Clock, ms: number, fn: () => void): Repeating {
  let stopped = false;
  let handle: TimerHandle;
  const tick = (): void => {
    if (stopped) return;
    handle = clock.setTimeout(tick, ms);
    fn();
  };
  handle = clock.setTimeout(tick, ms);
  return {
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
