// Decode speed of the inspector on a large capture, beside tshark reading the same file in the same run.
// Size: BENCH_CAPTURE_MB (default 40). Prints a table; exits non-zero only if something failed to run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { readCaptureFile, Inspector } from '../dist/index.js';
import { synthesizeCapture } from './synthesize.mjs';
import { emitJson } from '../../../packages/core/bench/lib/emit.mjs';

const targetMb = Number(process.env.BENCH_CAPTURE_MB ?? 40);
const dir = mkdtempSync(join(tmpdir(), 'p2p-inspect-bench-'));
const file = join(dir, 'large.pcap');

try {
  const made = await synthesizeCapture(file, targetMb * 1024 * 1024);
  const size = statSync(file).size;
  console.log(`capture: ${file}: ${(size / 1048576).toFixed(1)} MB, ${made.packets} packets, ${made.messages} messages`);

  const rows = [];
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const best = async (fn) => {
    let result;
    for (let i = 0; i < runs; i++) {
      const r = await fn();
      if (!result || r.seconds < result.seconds) result = r;
    }
    return result;
  };

  // Baseline 1: reading the pcap records only (no decoding).
  const read = await best(async () => {
    const t0 = performance.now();
    let packets = 0;
    for await (const _ of readCaptureFile(file)) packets++;
    return { seconds: (performance.now() - t0) / 1000, packets };
  });
  rows.push({ what: 'p2p-inspect: read pcap records only', ...read, messages: undefined });

  // The inspector: link layer, IP, TCP reassembly, frame splitting, envelope decoding, fields.
  const decode = await best(async () => {
    const t0 = performance.now();
    const inspector = new Inspector();
    let messages = 0;
    let packets = 0;
    for await (const packet of readCaptureFile(file)) {
      packets++;
      messages += inspector.push(packet).length;
    }
    messages += inspector.end().length;
    return { seconds: (performance.now() - t0) / 1000, packets, messages };
  });
  if (decode.messages !== made.messages) throw new Error(`decoded ${decode.messages} messages, wrote ${made.messages}`);
  rows.push({ what: 'p2p-inspect: full decode (library)', ...decode });

  // The whole CLI as a user runs it (process start, decoding, one JSON line per message written to /dev/null).
  const cli = (args) => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [new URL('../dist/bin/p2p-inspect.js', import.meta.url).pathname, file, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`p2p-inspect ${args.join(' ')} failed: ${r.stderr}`);
    return { seconds: (performance.now() - t0) / 1000, packets: made.packets, messages: made.messages };
  };
  rows.push({ what: 'p2p-inspect --json > /dev/null (CLI)', ...(await best(async () => cli(['--json']))) });

  // tshark reading the same file: its default one-line-per-packet dissection, and a bare read with no columns.
  const tshark = (args) => {
    const t0 = performance.now();
    const r = spawnSync('tshark', ['-r', file, ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`tshark ${args.join(' ')} failed: ${r.stderr}`);
    return { seconds: (performance.now() - t0) / 1000, packets: made.packets };
  };
  rows.push({ what: 'tshark -r (default summary lines)', ...(await best(async () => tshark([]))) });
  rows.push({ what: 'tshark -r -T fields -e frame.number', ...(await best(async () => tshark(['-T', 'fields', '-e', 'frame.number']))) });

  const mb = size / 1048576;
  const header = ['what', 'seconds', 'MB/s', 'packets/s', 'messages/s'];
  const table = rows.map((r) => [
    r.what,
    r.seconds.toFixed(2),
    (mb / r.seconds).toFixed(1),
    Math.round(r.packets / r.seconds).toLocaleString('en'),
    r.messages === undefined ? '-' : Math.round(r.messages / r.seconds).toLocaleString('en'),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  emitJson('inspector-decode', {
    captureMB: mb, packets: made.packets, messages: made.messages,
    rows: rows.map((r) => ({ what: r.what, seconds: r.seconds, mbPerSec: mb / r.seconds, messagesPerSec: r.messages === undefined ? null : r.messages / r.seconds })),
  });
  console.log(`\ninspector decode speed (best of ${runs}, ${mb.toFixed(1)} MB, ${made.packets} packets, ${made.messages} messages)`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of table) console.log(line(row));
  // Issue 13's target: the CLI's --json end to end at least as fast as tshark -T fields on the same file, same run.
  const cliRow = rows.find((r) => r.what.startsWith('p2p-inspect --json'));
  const fieldsRow = rows.find((r) => r.what.startsWith('tshark -r -T fields'));
  const ratio = fieldsRow.seconds / cliRow.seconds;
  console.log(`\ntarget: p2p-inspect --json at least as fast as tshark -T fields: ${ratio.toFixed(2)}x tshark's speed (${ratio >= 1 ? 'met' : 'not met'})`);
  emitJson('inspector-target', { cliSeconds: cliRow.seconds, tsharkFieldsSeconds: fieldsRow.seconds, speedVsTshark: ratio, met: ratio >= 1 });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
