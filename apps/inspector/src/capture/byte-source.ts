import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** Options of a file byte source. */
export interface FileSourceOptions {
  /** Keep reading as the file grows (like `tail -f`) until `signal` aborts. */
  follow?: boolean;
  /** Stops a following read. */
  signal?: AbortSignal;
  /** Read size in bytes. */
  chunkSize?: number;
  /** How often to look for new bytes when following, in milliseconds. */
  pollMs?: number;
}

/**
 * Reads a file as a sequence of chunks, never holding more than one chunk. With `follow`, waits at the end of
 * the file for a writer (tcpdump -U -w) to append more, until the signal aborts.
 */
export async function* readFileChunks(path: string, options: FileSourceOptions = {}): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? 256 * 1024;
  const pollMs = options.pollMs ?? 100;
  const handle = await open(path, 'r');
  try {
    let position = 0;
    for (;;) {
      if (options.signal?.aborted) return;
      const buffer = Buffer.allocUnsafe(chunkSize);
      const { bytesRead } = await handle.read(buffer, 0, chunkSize, position);
      if (bytesRead > 0) {
        position += bytesRead;
        yield buffer.subarray(0, bytesRead);
        continue;
      }
      if (!options.follow) return;
      try {
        await sleep(pollMs, undefined, { signal: options.signal });
      } catch {
        return; // aborted
      }
    }
  } finally {
    await handle.close();
  }
}
