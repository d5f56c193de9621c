import { describe, expect, it } from 'vitest';
import { fitSlope, keepsGrowing, secondHalf } from './slope.js';
import { seededRandom } from '@p2p/core/testing';

const MiB = 1024 * 1024;

function series(minutes: number, growthPerMinute: number, noise: number, seed = 1) {
  const random = seededRandom(seed);
  return Array.from({ length: minutes * 12 }, (_, i) => {
    const tMs = i * 5000;
    // A garbage-collector sawtooth plus noise on top of the trend.
    const saw = ((i % 7) / 7) * noise;
    return { tMs, value: 60 * MiB + (growthPerMinute * tMs) / 60_000 + saw + (random() - 0.5) * noise };
  });
}

describe('soak growth test', () => {
  it('finds a leak of 1 MiB per minute under a sawtooth of 8 MiB', () => {
    const fit = fitSlope(secondHalf(series(20, MiB, 8 * MiB)));
    expect(fit.perMinute).toBeGreaterThan(0.5 * MiB);
    expect(keepsGrowing(fit, 0.1 * MiB)).toBe(true);
  });

  it('passes a flat series with the same sawtooth, and is not fooled by one high sample', () => {
    const flat = series(20, 0, 8 * MiB);
    flat[flat.length - 1]!.value += 40 * MiB;
    expect(keepsGrowing(fitSlope(secondHalf(flat)), 0.1 * MiB)).toBe(false);
  });

  it('uses only the second half: early growth (caches filling to their bounds) does not count', () => {
    const warm = series(20, 0, MiB).map((s) => ({ ...s, value: s.value + Math.min(s.tMs, 300_000) * 50 }));
    expect(keepsGrowing(fitSlope(secondHalf(warm)), 0.1 * MiB)).toBe(false);
  });
});
