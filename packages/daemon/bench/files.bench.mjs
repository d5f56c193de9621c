// File transfer between two p2pd processes on loopback (files on tmpfs), beside the baselines measured in the same
// run: a raw TCP copy of the same bytes (two Node processes, the stream piped into a file) and one js-libp2p stream
// (TCP + Noise + Yamux, two processes, written into a file). Then 3 holders at once, chat round trips during a
// transfer against idle, and the RSS of both daemons during a 1 GiB transfer against idle.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBenchDaemon } from './lib/daemons.mjs';
import { emitJson } from '../../core/bench/lib/emit.mjs';

const MIB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_FILES_MIB ?? 256) * MIB;
const BIG = Number(process.env.BENCH_FILES_RSS_MIB ?? 1024) * MIB;
const ROUNDS = Number(process.env.BENCH_FILES_ROUNDS ?? 3);
const RAW = fileURLToPath(new URL('./lib/raw-tcp.mjs', import.meta.url));
const LIBP2P = fileURLToPath(new URL('./lib/libp2p-file.mjs', import.meta.url));

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const mibs = (bytes, ms) => bytes / MIB / (ms / 1000);

async function writeRandom(path, size) {
  const out = createWriteStream(path);
  const chunk = randomBytes(4 * MIB);
  for (let left = size; left > 0; left -= chunk.length) {
    if (!out.write(left >= chunk.length ? chunk : chunk.subarray(0, left))) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
}

/** Runs a child that prints JSON lines; resolves the first line matching `pick`. */
function child(args) {
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  const lines = [];
  const waiters = [];
  proc.stdout.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const obj = JSON.parse(buf.slice(0, i));
      buf = buf.slice(i + 1);
      lines.push(obj);
      for (const w of waiters.splice(0)) w();
    }
  });
  const next = async (pick) => {
    for (;;) {
      const found = lines.find(pick);
      if (found) return found;
      await new Promise((r) => waiters.push(r));
    }
  };
  return { proc, next, done: new Promise((r) => proc.once('exit', r)) };
}

async function rawTcp(file, out) {
  const rx = child([RAW, 'receive', '', out]);
  const { port } = await rx.next((l) => l.port);
  const tx = child([RAW, 'send', String(port), file]);
  const { bytes, ms } = await rx.next((l) => l.ms !== undefined);
  await Promise.all([rx.done, tx.done]);
  await rm(out, { force: true });
  return mibs(bytes, ms);
}

async function libp2p(file, out) {
  const rx = child([LIBP2P, 'receive', out]);
  const { multiaddr } = await rx.next((l) => l.multiaddr);
  const tx = child([LIBP2P, 'send', multiaddr, file]);
  const { bytes, ms } = await rx.next((l) => l.ms !== undefined);
  await Promise.all([rx.done, tx.done]);
  await rm(out, { force: true });
  return mibs(bytes, ms);
}

/** One `get` through the downloader's control socket; the rate counts from the first progress to the verified end. */
async function ours(dl, root, size, outDir, during) {
  const t0 = performance.now();
  let first;
  let final;
  const stop = during?.();
  await dl.client.stream({ get: { target: root, timeoutMs: 300, outputDir: outDir } }, (r) => {
    if (!r.download) return undefined;
    first ??= performance.now();
    if (['done', 'failed', 'cancelled'].includes(r.download.state)) { final = r.download; return 'done'; }
    return undefined;
  });
  const end = performance.now();
  await stop?.();
  if (final?.state !== 'done') throw new Error(`download ${final?.state}: ${final?.error}`);
  await rm(final.path, { force: true });
  return { rate: mibs(size, end - first), withSearch: mibs(size, end - t0), sources: final.sources.length };
}

async function chatRtts(dl, to, until) {
  const out = [];
  for (let i = 0; i < 2000 && !until(); i++) {
    const { send } = await dl.client.call({ send: { to, text: `ping ${i}`, timeoutMs: 5000 } });
    if (send?.delivered) out.push(send.elapsedMs);
  }
  return out;
}

export default async function run() {
  const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = await mkdtemp(join(base, 'p2p-bench-files-'));
  const daemons = [];
  try {
    const share = join(root, 'share');
    const outDir = join(root, 'out');
    await mkdir(share);
    await mkdir(outDir);
    await writeRandom(join(share, 'bench.bin'), SIZE);
    await writeRandom(join(share, 'big.bin'), BIG);
    const holders = [];
    for (const name of ['h1', 'h2', 'h3']) holders.push(await startBenchDaemon(root, name, ['--share', share]));
    const dl = await startBenchDaemon(root, 'dl', ['--downloads', outDir]);
    daemons.push(...holders, dl);
    const files = [];
    await holders[0].client.stream({ files: {} }, (r) => { files.push(...r.files.files); return r.files.more ? undefined : 'done'; });
    const rootOf = (name) => files.find((f) => f.name === name).root;
    await dl.client.call({ connect: { address: holders[0].listen, peerId: holders[0].peerId } });
    const file = join(share, 'bench.bin');
    const raw = [], lp = [], one = [], three = [], search = [];
    for (let r = 0; r < ROUNDS; r++) {
      raw.push(await rawTcp(file, join(outDir, 'raw.bin')));
      lp.push(await libp2p(file, join(outDir, 'lp.bin')));
      const o = await ours(dl, rootOf('bench.bin'), SIZE, outDir);
      one.push(o.rate);
      search.push(o.withSearch);
    }
    for (const h of holders.slice(1)) await dl.client.call({ connect: { address: h.listen, peerId: h.peerId } });
    let sources = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const o = await ours(dl, rootOf('bench.bin'), SIZE, outDir);
      three.push(o.rate);
      sources = Math.max(sources, o.sources);
    }
    const rawM = median(raw), lpM = median(lp), oneM = median(one), threeM = median(three);
    console.log(`## file transfer, ${SIZE / MIB} MiB on tmpfs, loopback, ${ROUNDS} rounds each (median MiB/s)\n`);
    console.log('| case | MiB/s | vs raw TCP | vs js-libp2p |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| raw TCP copy, two Node processes, piped into a file (baseline) | ${rawM.toFixed(0)} | 1.00 | ${(rawM / lpM).toFixed(2)} |`);
    console.log(`| js-libp2p, one yamux stream over Noise over TCP, two processes, into a file (baseline) | ${lpM.toFixed(0)} | ${(lpM / rawM).toFixed(2)} | 1.00 |`);
    console.log(`| p2pd -> p2pd, 1 holder, TLS 1.3, every block verified, whole-file SHA-256, fsync'd | ${oneM.toFixed(0)} | ${(oneM / rawM).toFixed(2)} | ${(oneM / lpM).toFixed(2)} |`);
    console.log(`| p2pd <- 3 holders at once (${sources} delivered) | ${threeM.toFixed(0)} | ${(threeM / rawM).toFixed(2)} | ${(threeM / lpM).toFixed(2)} |`);
    console.log(`| (1 holder, counting the 300 ms search window too) | ${median(search).toFixed(0)} | | |\n`);
    const rate = (name, v) => ({ case: name, 'MiB/s': v, 'vs raw TCP': v / rawM, 'vs js-libp2p': v / lpM });
    emitJson('files-transfer', {
      title: 'File transfer vs raw TCP and js-libp2p',
      rows: [rate('raw TCP copy into a file (baseline)', rawM), rate('js-libp2p, one yamux stream over Noise, into a file (baseline)', lpM),
        rate('p2pd -> p2pd, 1 holder (TLS 1.3, every block verified, fsync\'d)', oneM), rate(`p2pd <- 3 holders at once (${sources} delivered)`, threeM)],
      note: `${SIZE / MIB} MiB on tmpfs over loopback, two processes each, median of ${ROUNDS} rounds.`,
    });

    // Chat during a transfer, and memory during a 1 GiB transfer, from one holder.
    for (const h of holders.slice(1)) await h.stop();
    const h1 = holders[0];
    const idleChat = await chatRtts(dl, h1.peerId, ((n) => () => ++n > 200)(0));
    const idleRss = [await h1.rss(), await dl.rss()];
    const peak = [...idleRss];
    let busy = [];
    let transferring = true;
    const big = await ours(dl, rootOf('big.bin'), BIG, outDir, () => {
      const timer = setInterval(async () => {
        const now = [await h1.rss(), await dl.rss()];
        peak[0] = Math.max(peak[0], now[0]);
        peak[1] = Math.max(peak[1], now[1]);
      }, 50);
      const chat = chatRtts(dl, h1.peerId, () => !transferring).then((v) => { busy = v; });
      return async () => { transferring = false; clearInterval(timer); await chat; };
    });
    console.log(`## chat during a transfer (direct message, acknowledged end to end, while ${BIG / MIB} MiB flow on the same session at ${big.rate.toFixed(0)} MiB/s)\n`);
    console.log('| case | samples | p50 ms | p99 ms |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| idle session (baseline) | ${idleChat.length} | ${median(idleChat).toFixed(2)} | ${pct(idleChat, 0.99).toFixed(2)} |`);
    console.log(`| during the transfer | ${busy.length} | ${busy.length ? median(busy).toFixed(2) : '-'} | ${busy.length ? pct(busy, 0.99).toFixed(2) : '-'} |\n`);
    const m = (b) => (b / MIB).toFixed(1);
    console.log(`## RSS during a ${BIG / MIB} MiB transfer (sampled every 50 ms; target: at most idle + 64 MiB)\n`);
    console.log('| daemon | idle MiB (baseline) | peak during MiB | growth MiB |');
    console.log('| --- | ---: | ---: | ---: |');
    console.log(`| holder | ${m(idleRss[0])} | ${m(peak[0])} | ${m(peak[0] - idleRss[0])} |`);
    console.log(`| downloader | ${m(idleRss[1])} | ${m(peak[1])} | ${m(peak[1] - idleRss[1])} |\n`);
    emitJson('files-during-transfer', {
      title: 'Chat and memory during a file transfer',
      rows: [
        { case: 'chat round trip, idle session (baseline)', 'p50 ms': median(idleChat), 'p99 ms': pct(idleChat, 0.99) },
        { case: 'chat round trip during the transfer', 'p50 ms': busy.length ? median(busy) : null, 'p99 ms': busy.length ? pct(busy, 0.99) : null },
        { case: 'holder RSS MiB: idle (baseline) / peak', 'idle MiB': idleRss[0] / MIB, 'peak MiB': peak[0] / MIB },
        { case: 'downloader RSS MiB: idle (baseline) / peak', 'idle MiB': idleRss[1] / MIB, 'peak MiB': peak[1] / MIB },
      ],
      note: `While ${BIG / MIB} MiB flow on the same session at ${big.rate.toFixed(0)} MiB/s; RSS sampled every 50 ms (target: at most idle + 64 MiB).`,
    });
  } finally {
    for (const d of daemons) await d.stop().catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run();
