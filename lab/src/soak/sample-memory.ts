/** Memory samples of a lab daemon: RSS from /proc, V8 heap from the daemon's own metrics endpoint inside its namespace. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { LabDaemon } from '../daemon/lab-daemon.js';

/** Where a soak daemon serves metrics: loopback inside its own namespace. */
export const SOAK_METRICS = '127.0.0.1:9464';

/** One sample. */
export interface MemorySample {
  /** Ms since the soak started. */
  tMs: number;
  rssBytes: number;
  /** V8 heap in use (NaN when the metrics endpoint did not answer). */
  heapUsedBytes: number;
}

/** Resident set size of a process, bytes (NaN when it is gone). */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The daemon's V8 heap in use, read from its Prometheus endpoint (fetched from inside its namespace). */
export function heapUsedOf(d: LabDaemon): Promise<number> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', d.host.namespace, 'curl', '-s', '--max-time', '5', `http://${SOAK_METRICS}/metrics`], (err, stdout) => {
      if (err) return resolve(NaN);
      // Named with a p2pd_ prefix by older daemons, unprefixed (Prometheus conventions) by newer ones.
      const m = /^(?:p2pd_)?nodejs_heap_size_used_bytes\s+([\d.e+]+)/m.exec(stdout);
      resolve(m ? Number(m[1]) : NaN);
    });
  });
}

/** Samples one daemon now. */
export async function sampleMemory(d: LabDaemon, startedAt: number): Promise<MemorySample> {
  return { tMs: Date.now() - startedAt, rssBytes: rssOf(d.pid), heapUsedBytes: await heapUsedOf(d) };
}
