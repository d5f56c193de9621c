import type { Writable } from 'node:stream';

/**
 * Batches output lines into writes of up to 64 KiB: one write per line costs a system call each, which dominated
 * `--json` on large captures. Lines still appear promptly (for --follow): whatever is pending is written as soon as
 * the event loop gets a turn, and backpressure from a slow reader is honoured.
 */
export class LineWriter {
  private pending: string[] = [];
  private size = 0;
  private scheduled = false;
  private waiting = false;

  constructor(private readonly out: Writable, private readonly limit = 64 * 1024) {}

  /** Queues one line; resolves at once unless the output asked to slow down. */
  async line(text: string): Promise<void> {
    this.pending.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) return this.flush();
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
  }

  /**
   * Queues one line without a promise per line (for printing a decoded batch): writes each time 64 KiB are pending,
   * so pending text stays small and dies young. Returns a promise only when the output asked to slow down.
   */
  add(text: string): Promise<void> | undefined {
    this.pending.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.limit) {
      const wait = this.flush();
      return this.waiting ? wait : undefined;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => void this.flush());
    }
    return undefined;
  }

  /** Writes everything pending; resolves when the output can take more. */
  flush(): Promise<void> {
    this.scheduled = false;
    if (this.size === 0) return Promise.resolve();
    const chunk = this.pending.join('');
    this.pending = [];
    this.size = 0;
    if (this.out.write(chunk)) return Promise.resolve();
    this.waiting = true;
    return new Promise((resolve) => this.out.once('drain', () => {
      this.waiting = false;
      resolve();
    }));
  }
}
