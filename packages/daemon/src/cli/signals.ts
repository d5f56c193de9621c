/** The signals p2pd acts on: stop (TERM, INT) or reload (HUP). */
export type DaemonSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

/** Signals received, in order, for a loop that handles one at a time. */
export interface SignalQueue {
  /** The next signal (one already received, or the next to arrive). */
  next(): Promise<DaemonSignal>;
  /** Stops listening. */
  close(): void;
}

/** Listens for SIGTERM, SIGINT and SIGHUP from now on (so none is lost while the daemon starts). */
export function listenForSignals(proc: NodeJS.Process = process): SignalQueue {
  const received: DaemonSignal[] = [];
  let waiting: ((signal: DaemonSignal) => void) | undefined;
  const on = (signal: DaemonSignal) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(signal);
    } else {
      received.push(signal);
    }
  };
  const names: DaemonSignal[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const name of names) proc.on(name, on);
  return {
    next: () => (received.length > 0 ? Promise.resolve(received.shift()!) : new Promise((resolve) => (waiting = resolve))),
    close: () => {
      for (const name of names) proc.off(name, on);
    },
  };
}
