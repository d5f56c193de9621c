// Machine-readable results beside the printed tables: with BENCH_JSON_DIR set (the report runner sets it), each
// benchmark writes its figures to <dir>/<name>.json for bench/REPORT.md. Without it, nothing is written.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';

/**
 * Writes one benchmark's figures as JSON (with the machine and the time), if BENCH_JSON_DIR is set.
 * @param {string} name file name without .json, e.g. "core-codec"
 * @param {Record<string, unknown>} data the figures, each beside its baseline
 */
export function emitJson(name, data) {
  const dir = process.env.BENCH_JSON_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const machine = { node: process.version, cpus: cpus().length, cpu: cpus()[0]?.model?.trim() ?? 'unknown' };
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify({ name, at: new Date().toISOString(), machine, ...data }, null, 2)}\n`);
}
