/**
 * The growth test of the soak: a least-squares line through the samples of the second half of the run (the first
 * half is warm-up: caches and pools filling up to their bounds), and the 95% confidence interval of its slope. Memory
 * "keeps growing" only when even the interval's lower end is above the allowed growth: a single high sample, or the
 * sawtooth of the garbage collector, cannot fail the test, and a real leak cannot hide behind one low sample.
 */

/** A fitted slope, in units per minute. */
export interface SlopeFit {
  /** Least-squares slope. */
  perMinute: number;
  /** 95% confidence interval of the slope. */
  low: number;
  high: number;
  /** Samples used. */
  samples: number;
}

/** Two-sided 95% Student t quantile for `df` degrees of freedom (table below 30, normal beyond). */
function t95(df: number): number {
  const table = [12.71, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  return df < 1 ? Infinity : df <= table.length ? table[df - 1]! : 1.96;
}

/** Fits value against time (ms) and returns the slope per minute with its 95% interval. */
export function fitSlope(points: readonly { tMs: number; value: number }[]): SlopeFit {
  const n = points.length;
  if (n < 3) return { perMinute: 0, low: -Infinity, high: Infinity, samples: n };
  const xs = points.map((p) => p.tMs / 60_000);
  const ys = points.map((p) => p.value);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  if (sxx === 0) return { perMinute: 0, low: -Infinity, high: Infinity, samples: n };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (intercept + slope * xs[i]!)) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const margin = t95(n - 2) * se;
  return { perMinute: slope, low: slope - margin, high: slope + margin, samples: n };
}

/** The samples of the second half of the run (by time). */
export function secondHalf<T extends { tMs: number }>(samples: readonly T[]): T[] {
  if (samples.length === 0) return [];
  const end = samples[samples.length - 1]!.tMs;
  const start = samples[0]!.tMs;
  return samples.filter((s) => s.tMs >= start + (end - start) / 2);
}

/** True when the series keeps growing: the slope's lower 95% bound exceeds `maxPerMinute`. */
export function keepsGrowing(fit: SlopeFit, maxPerMinute: number): boolean {
  return fit.low > maxPerMinute;
}
