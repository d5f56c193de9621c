/**
 * Runs teardown callbacks when the process ends for any reason we can catch: normal exit, an uncaught error, or
 * SIGINT/SIGTERM/SIGHUP (Ctrl+C). Callbacks must be synchronous: an exit handler cannot wait. The signal handlers are
 * installed only while a callback is registered, so the process's own signal behaviour is untouched otherwise.
 */

const callbacks = new Set<() => void>();
const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

function runAll(): void {
  for (const fn of [...callbacks]) {
    callbacks.delete(fn);
    try {
      fn();
    } catch {
      // best effort: the others still run
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\nlab: ${signal}: tearing down\n`);
  runAll();
  process.exit(EXIT_CODES[signal] ?? 1);
}

function setInstalled(on: boolean): void {
  for (const sig of Object.keys(EXIT_CODES) as NodeJS.Signals[]) {
    if (on) process.on(sig, onSignal);
    else process.off(sig, onSignal);
  }
  if (on) process.on('exit', runAll);
  else process.off('exit', runAll);
}

/** Registers a teardown callback; returns a function that unregisters it. */
export function onTeardown(fn: () => void): () => void {
  if (callbacks.size === 0) setInstalled(true);
  callbacks.add(fn);
  return () => {
    if (callbacks.delete(fn) && callbacks.size === 0) setInstalled(false);
  };
}
