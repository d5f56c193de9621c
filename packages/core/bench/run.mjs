#!/usr/bin/env node
// Runs every bench/*.bench.mjs in name order. Each exports `default async function run()` that measures and prints
// its own section (with its baseline measured in the same run). `node bench/run.mjs codec` runs only the files whose
// name contains "codec". Benchmarks import the built package (../dist), so `npm run bench` builds first.
import { existsSync, readdirSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();

if (!existsSync(join(here, '..', 'dist', 'index.js'))) {
  console.error('bench: packages/core/dist is missing; build first (`npm run bench` at the root does).');
  process.exit(1);
}
if (files.length === 0) {
  console.error(`bench: no bench/*.bench.mjs${filters.length ? ` matching ${filters.join(', ')}` : ''}`);
  process.exit(1);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`@p2p/core benchmarks: node ${process.version}, ${cpus().length} x ${cpu.trim()}, ${files.length} file(s)\n`);
let failed = 0;
for (const file of files) {
  const started = performance.now();
  try {
    const mod = await import(pathToFileURL(join(here, file)).href);
    if (typeof mod.default !== 'function') throw new Error('no default export `async function run()`');
    await mod.default();
    console.log(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (err) {
    failed++;
    console.error(`bench ${file} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
