/** Polling helpers: conditions are checked, never slept on. */
import { LabTimeoutError } from '../errors.js';

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns true; throws LabTimeoutError after `ms`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, ms: number, everyMs = 250): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > ms) throw new LabTimeoutError(what, ms);
    await sleep(everyMs);
  }
}
