// Interleaved micro-benchmarking: every case runs once per round, rounds alternate between cases, and the median
// per case is reported, so a slow moment of a shared machine (GC, a neighbour's burst) hits all cases alike instead
// of skewing one.

/** Median of a non-empty array of numbers. */
export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function runBatch(fn, iterations) {
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const out = fn();
    sink += out?.length ?? 1; // use the result so the work cannot be optimised away
  }
  const ns = Number(process.hrtime.bigint() - start);
  if (sink < 0) console.log(sink);
  return ns;
}

/**
 * Measures each case's operations per second.
 * @param {{ id: string, fn: () => unknown }[]} cases
 * @param {{ rounds?: number, batchMs?: number, warmupMs?: number }} [options]
 * @returns {Map<string, { opsPerSec: number, samples: number[] }>} median ops/s per case id
 */
export function measureInterleaved(cases, options = {}) {
  const rounds = options.rounds ?? 9;
  const batchMs = options.batchMs ?? 120;
  const warmupMs = options.warmupMs ?? 150;
  // Warm up (JIT) and calibrate how many iterations fill one batch.
  const iterations = new Map();
  for (const c of cases) {
    let n = 1;
    let ns = 0;
    const deadline = process.hrtime.bigint() + BigInt(warmupMs * 1e6);
    let done = 0;
    while (process.hrtime.bigint() < deadline) {
      ns += runBatch(c.fn, n);
      done += n;
      n = Math.min(n * 2, 1 << 20);
    }
    iterations.set(c.id, Math.max(1, Math.round((batchMs * 1e6) / (ns / done))));
  }
  const samples = new Map(cases.map((c) => [c.id, []]));
  for (let r = 0; r < rounds; r++) {
    // Alternate the order between rounds so no case always runs right after the same neighbour.
    const order = r % 2 ? [...cases].reverse() : cases;
    for (const c of order) {
      const n = iterations.get(c.id);
      samples.get(c.id).push((n * 1e9) / runBatch(c.fn, n));
    }
  }
  return new Map([...samples].map(([id, s]) => [id, { opsPerSec: median(s), samples: s }]));
}
