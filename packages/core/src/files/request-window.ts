/** Bounds and goal of a RequestWindow. */
export interface RequestWindowInit {
  /** Bytes of one request: the window never drops below two, so one answer is always on its way while one is used. */
  requestBytes: number;
  /** Largest window, bytes. */
  maxBytes: number;
  /** Queueing delay the window aims at, ms: above it the window shrinks, below it grows. */
  targetDelayMs: number;
}

// Minimum latency is remembered per bucket of this many ms, over this many buckets (a minute): an old minimum ages out,
// so a path that got slower is not taken for a queue forever, but the standing queue the window itself keeps does not
// become the base within one download of ordinary size (LEDBAT keeps ten minutes for the same reason).
const BUCKET_MS = 10_000;
const BUCKETS = 6;

/**
 * How many bytes a downloader keeps requested and unanswered with one source: delay-based, as LEDBAT (RFC 6817).
 * Every answer tells how long its request took; above the smallest such time the rest is queueing, in the holder's
 * send queue, the kernel's socket buffers and our own backlog, where chat and pings on the same session wait too.
 * The window grows while that queue stays under the target and shrinks when it passes it, so a transfer fills the
 * link without keeping seconds of data in front of everything else. Pure: the caller gives every time.
 */
export class RequestWindow {
  private window: number;
  private readonly minima: number[] = [];
  private bucketStart = -Infinity;

  constructor(private readonly init: RequestWindowInit) {
    this.window = this.floor;
  }

  /** Bytes that may be requested and unanswered now. */
  get bytes(): number { return this.window; }

  /** Smallest request latency remembered, ms (Infinity before any). */
  get baseMs(): number { return Math.min(...this.minima, Infinity); }

  private get floor(): number { return Math.min(this.init.maxBytes, 2 * this.init.requestBytes); }

  /** A request of `bytes` was answered `latencyMs` after it was sent; `nowMs` is the time now. */
  delivered(bytes: number, latencyMs: number, nowMs: number): void {
    if (nowMs - this.bucketStart >= BUCKET_MS || this.minima.length === 0) {
      this.bucketStart = nowMs;
      this.minima.push(latencyMs);
      if (this.minima.length > BUCKETS) this.minima.shift();
    } else {
      this.minima[this.minima.length - 1] = Math.min(this.minima[this.minima.length - 1]!, latencyMs);
    }
    const queueMs = Math.max(0, latencyMs - this.baseMs);
    const offTarget = Math.max(-1, (this.init.targetDelayMs - queueMs) / this.init.targetDelayMs);
    // At most one request more per window of answers, as TCP's congestion avoidance grows.
    this.window += (offTarget * bytes * this.init.requestBytes) / this.window;
    this.clamp();
  }

  /** A request went unanswered (timeout, busy): halve. */
  lost(): void {
    this.window /= 2;
    this.clamp();
  }

  private clamp(): void {
    this.window = Math.max(this.floor, Math.min(this.init.maxBytes, this.window));
  }
}
