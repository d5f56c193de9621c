// Inbox write throughput: the daemon's group commit (every record queued while the previous write+fsync ran goes
// out in the next one) beside the baseline measured in the same run: one write and one fsync per record.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeInboxRecord, openInbox } from '../dist/index.js';
import { emitJson } from '../../core/bench/lib/emit.mjs';

const N = Number(process.env.BENCH_INBOX_RECORDS ?? 2000);
const record = (i) => ({
  id: i.toString(16).padStart(32, '0'), from: 'alice', fromPeerId: 'a'.repeat(52), to: '*', kind: 'broadcast',
  text: `message number ${i} with a little text to make it realistic`, receivedAt: new Date().toISOString(),
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
  const inbox = await openInbox({ path: join(dir, 'inbox.jsonl'), retain: N });
  const start = performance.now();
  // Messages arrive in bursts of 50, as a busy mesh delivers them, with the event loop turning in between.
  for (let i = 0; i < N; i += 50) {
    for (let j = i; j < Math.min(N, i + 50); j++) inbox.append(record(j));
    await new Promise((resolve) => setImmediate(resolve));
  }
  await inbox.flush();
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
  emitJson('daemon-inbox', { records: N, groupCommitMs: ours, fsyncPerRecordMs: base });
} finally {
  await rm(dir, { recursive: true, force: true });
}
