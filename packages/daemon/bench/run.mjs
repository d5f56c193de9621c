// Inbox write throughput: the daemon's group commit (every record queued while the previous write+fsync ran goes
// out in the next one) beside the baseline measured in the same run: one write and one fsync per record.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeInboxRecord, openInbox } from '../dist/index.js';
import { emitJson } from '../../core/bench/lib/emit.mjs';

const N = Number(process.env.BENCH_INBOX_RECORDS ?? 2000);
const record = (i, sender = `peer${i % 50}`, text = `message number ${i} with a little text to make it realistic`) => ({
  id: i.toString(16).padStart(32, '0'), from: sender, fromPeerId: sender.padEnd(52, 'a'), to: '*', kind: 'broadcast',
  text, receivedAt: new Date().toISOString(),
});

async function baseline(dir) {
  const fh = await open(join(dir, 'baseline.jsonl'), 'a', 0o600);
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    await fh.write(encodeInboxRecord(record(i)));
    await fh.datasync();
  }
  const ms = performance.now() - start;
  await fh.close();
  return ms;
}

async function groupCommit(dir) {
  const inbox = await openInbox({ path: join(dir, 'inbox.jsonl') });
  const start = performance.now();
  // Messages arrive in bursts of 50, as a busy mesh delivers them, with the event loop turning in between.
  for (let i = 0; i < N; i += 50) {
    for (let j = i; j < Math.min(N, i + 50); j++) inbox.append(record(j));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await inbox.flush();
  const ms = performance.now() - start;
  if (inbox.stats().stored !== N) throw new Error(`only ${inbox.stats().stored} of ${N} records were kept`);
  await inbox.close();
  return ms;
}

// How long one honest record waits behind a flooder's full backlog (4 MiB of 60 KB records): with the fair queue
// (its own lane), and as a plain FIFO would (the same lane as the flood: the baseline, same run, same file system).
async function waitBehindFlood(dir, fifo) {
  const inbox = await openInbox({ path: join(dir, `flood-${fifo}-${Math.random()}.jsonl`), limits: { senderRate: 1e6, senderByteRate: 1e12, senderByteBurst: 1e12 } });
  const big = 'f'.repeat(60_000);
  for (let i = 0; inbox.append(record(i, 'flooder', big)); i++);
  const start = performance.now();
  await inbox.appendDurable(record(1e6, fifo ? 'flooder' : 'honest'));
  const ms = performance.now() - start;
  await inbox.close();
  return ms;
}

const dir = await mkdtemp(join(tmpdir(), 'p2pd-bench-'));
try {
  const base = await baseline(dir);
  const ours = await groupCommit(dir);
  const rate = (ms) => `${Math.round((N / ms) * 1000)} records/s`;
  console.log(`inbox append+fsync, ${N} records`);
  console.log(`  baseline (fsync per record): ${base.toFixed(0)} ms  ${rate(base)}`);
  console.log(`  p2pd inbox (group commit):   ${ours.toFixed(0)} ms  ${rate(ours)}  (${(base / ours).toFixed(1)}x)`);
  // Alternating runs, medians: the first runs of either would otherwise pay for warming up.
  const runs = { fair: [], fifo: [] };
  for (let i = 0; i < 7; i++) {
    runs.fair.push(await waitBehindFlood(dir, false));
    runs.fifo.push(await waitBehindFlood(dir, true));
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  const fair = median(runs.fair);
  const fifo = median(runs.fifo);
  console.log('inbox: one honest record behind a flooder\'s 4 MiB backlog, until durable (median of 7)');
  console.log(`  baseline (one FIFO queue):   ${fifo.toFixed(1)} ms`);
  console.log(`  p2pd inbox (fair per sender): ${fair.toFixed(1)} ms  (${(fifo / fair).toFixed(1)}x sooner)`);
  emitJson('daemon-inbox', { records: N, groupCommitMs: ours, fsyncPerRecordMs: base, honestBehindFloodMs: { fairPerSender: fair, oneFifo: fifo } });
} finally {
  await rm(dir, { recursive: true, force: true });
}
