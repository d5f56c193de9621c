/**
 * The soak: several daemons in a lab under steady traffic (a broadcast and a direct chat line every tick), RSS and
 * heap of each sampled over time. It fails when memory keeps growing: the slope fitted over the second half of the
 * run is above the allowed growth even at the low end of its 95% interval (see slope.ts).
 */
import type { LabDaemon } from '../daemon/lab-daemon.js';
import { createLab } from '../lab.js';
import { sleep } from '../observe/wait.js';
import { trafficRound, waitForDeliveries, waitHealed } from '../scenarios/mesh-steps.js';
import type { SentMessage } from '../observe/traffic.js';
import { sampleMemory, SOAK_METRICS, type MemorySample } from './sample-memory.js';
import { fitSlope, keepsGrowing, secondHalf, type SlopeFit } from './slope.js';

/** Options of a soak run. */
export interface SoakOptions {
  minutes: number;
  daemons?: number;
  /** Ms between traffic rounds; default 1000. */
  tickMs?: number;
  /** Ms between memory samples; default 5000. */
  sampleMs?: number;
  /** Allowed growth, bytes per minute (default 64 KiB/min, about 90 MiB a day). */
  maxGrowthPerMinute?: number;
  progress?: (line: string) => void;
}

/** What the soak measured for one daemon. */
export interface SoakDaemonResult {
  host: number;
  samples: MemorySample[];
  rss: SlopeFit;
  heap: SlopeFit;
  growing: boolean;
}

/** The soak's result. */
export interface SoakResult {
  minutes: number;
  daemons: SoakDaemonResult[];
  messages: { sent: number; expected: number; delivered: number; duplicates: number };
  maxGrowthPerMinute: number;
  passed: boolean;
  leftovers: number;
}

/** Runs the soak. */
export async function runSoak(opts: SoakOptions): Promise<SoakResult> {
  const say = opts.progress ?? (() => {});
  const maxGrowth = opts.maxGrowthPerMinute ?? 64 * 1024;
  const lab = await createLab({ hosts: opts.daemons ?? 4 });
  try {
    const daemons = await lab.startAll(() => ['--metrics', SOAK_METRICS]);
    await waitHealed(daemons, 90_000);
    say(`soak: ${daemons.length} daemons in one mesh; ${opts.minutes} min of traffic`);
    const started = Date.now();
    const end = started + opts.minutes * 60_000;
    const samples = new Map<LabDaemon, MemorySample[]>(daemons.map((d) => [d, []]));
    let nextSample = started;
    let nextReport = started + 60_000;
    // Deliveries are counted over a window of recent messages: the inbox keeps the newest 10,000 only.
    let window: SentMessage[] = [];
    const totals = { sent: 0, expected: 0, delivered: 0, duplicates: 0 };
    while (Date.now() < end) {
      if (Date.now() >= nextSample) {
        nextSample += opts.sampleMs ?? 5000;
        for (const d of daemons) samples.get(d)!.push(await sampleMemory(d, started));
      }
      window.push(...(await trafficRound(daemons)));
      if (window.length >= 200) {
        const t = await waitForDeliveries(window, daemons);
        totals.sent += t.sent;
        totals.expected += t.expected;
        totals.delivered += t.delivered;
        totals.duplicates += t.duplicates;
        window = [];
      }
      if (Date.now() >= nextReport) {
        nextReport += 60_000;
        const rss = daemons.map((d) => (samples.get(d)!.at(-1)!.rssBytes / 1048576).toFixed(1)).join(' ');
        say(`soak: ${Math.round((Date.now() - started) / 60_000)} min, RSS MiB ${rss}, ${totals.delivered}/${totals.expected} delivered`);
      }
      await sleep(opts.tickMs ?? 1000);
    }
    if (window.length > 0) {
      const t = await waitForDeliveries(window, daemons);
      totals.sent += t.sent;
      totals.expected += t.expected;
      totals.delivered += t.delivered;
      totals.duplicates += t.duplicates;
    }
    for (const d of daemons) samples.get(d)!.push(await sampleMemory(d, started));
    const results: SoakDaemonResult[] = daemons.map((d) => {
      const s = samples.get(d)!;
      const half = secondHalf(s);
      const rss = fitSlope(half.map((x) => ({ tMs: x.tMs, value: x.rssBytes })));
      const heap = fitSlope(half.filter((x) => Number.isFinite(x.heapUsedBytes)).map((x) => ({ tMs: x.tMs, value: x.heapUsedBytes })));
      return { host: d.host.index, samples: s, rss, heap, growing: keepsGrowing(rss, maxGrowth) || keepsGrowing(heap, maxGrowth) };
    });
    const left = await lab.destroy();
    const leftovers = left.namespaces.length + left.processes.length;
    return {
      minutes: opts.minutes, daemons: results, messages: totals, maxGrowthPerMinute: maxGrowth, leftovers,
      passed: results.every((r) => !r.growing) && totals.delivered === totals.expected && totals.duplicates === 0 && leftovers === 0,
    };
  } finally {
    await lab.destroy();
  }
}
