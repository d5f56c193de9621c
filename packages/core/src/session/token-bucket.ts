/** A token bucket: `ratePerSecond` tokens flow in, at most `burst` are kept; each event takes one or more. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly ratePerSecond: number, private readonly burst: number, private readonly now: () => number = performance.now.bind(performance)) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` tokens (default one); false, taking none, when fewer are left. */
  take(n = 1): boolean {
    this.refill();
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Takes `n` tokens whether or not they are there: the bucket may go below zero and refills from there. */
  spend(n: number): void {
    this.refill();
    this.tokens -= n;
  }

  /** Tokens available now (fractional; below zero after an overspend). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Milliseconds until `n` tokens are there (0 when they are now). */
  msUntil(n = 1): number {
    this.refill();
    return this.tokens >= n ? 0 : ((n - this.tokens) / this.ratePerSecond) * 1000;
  }

  /** True when the bucket is full again: it remembers nothing worth keeping and may be forgotten. */
  isFull(): boolean {
    return this.available() >= this.burst;
  }

  private refill(): void {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }
}
