import { systemClock, type Clock, type TimerHandle } from '../util/clock.js';

/** Keeps the stored peer book in step with the live one, writing at most once per interval. */
export interface PeerBookSaver {
  /** Starts the periodic check. */
  start(): void;
  /** Stops the periodic check and writes once more if anything changed (waits for a write under way first). */
  stop(): Promise<void>;
}

/** What the saver needs. */
export interface PeerBookSaverInit {
  /** The file's text for the book as it is now. */
  snapshot(): string;
  /** Stores the text (atomically). */
  write(text: string): Promise<void>;
  /** Called when a write fails; the next check tries again. */
  onError(err: unknown): void;
  /** Text already on disk (what was loaded), so an unchanged book is not rewritten. */
  initial?: string;
  /** Least time between two writes; default 10 s. */
  intervalMs?: number;
  /** Timers; default the system clock. */
  clock?: Clock;
}

/**
 * Creates a saver. The book changes with every announcement heard, so it is not written on each change but
 * checked every `intervalMs` and written only when its text differs from the last one stored: one write per
 * interval at most, and none while nothing changes.
 */
export function createPeerBookSaver(init: PeerBookSaverInit): PeerBookSaver {
  const clock = init.clock ?? systemClock;
  const intervalMs = init.intervalMs ?? 10_000;
  let last = init.initial;
  let timer: TimerHandle | undefined;
  let running = false;
  let writing: Promise<void> | undefined;

  const save = async (): Promise<void> => {
    const text = init.snapshot();
    if (text === last) return;
    try {
      await init.write(text);
      last = text;
    } catch (err) {
      init.onError(err);
    }
  };
  const tick = (): void => {
    timer = undefined;
    if (!running) return;
    // One write at a time: a slow disk delays the next check instead of stacking writes.
    writing ??= save().finally(() => {
      writing = undefined;
      if (running) timer = clock.setTimeout(tick, intervalMs);
    });
  };

  return {
    start() {
      if (running) return;
      running = true;
      timer = clock.setTimeout(tick, intervalMs);
    },
    async stop() {
      running = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await writing;
      await save();
    },
  };
}
