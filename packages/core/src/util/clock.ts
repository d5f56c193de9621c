/**
 * Time source and timers used by every protocol timer of core (sessions, liveness, seeds, mesh, broadcast, direct).
 * Injectable so that a simulation of hundreds of engines can run on a deterministic virtual clock.
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
};
