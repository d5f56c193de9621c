import { lstat } from 'node:fs/promises';
import { NoDaemonError } from '../errors/index.js';
import { socketCandidates, type CliSocketHints } from '../paths/index.js';
import { connectControl, type ControlClient } from './control-client.js';

/**
 * Finds the daemon by itself (see socketCandidates) and connects to the first candidate that is a socket
 * accepting connections; throws NoDaemonError naming the first candidate when none does.
 */
export async function connectDaemon(hints: CliSocketHints): Promise<ControlClient> {
  const candidates = socketCandidates(hints);
  let firstFailure: unknown;
  for (const path of candidates) {
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isSocket()) continue;
    try {
      return await connectControl(path);
    } catch (err) {
      // A stale socket of a daemon that was killed: the next candidate may still answer.
      firstFailure ??= err;
    }
  }
  throw firstFailure ?? new NoDaemonError(candidates[0]!);
}
