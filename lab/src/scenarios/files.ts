/**
 * Files: host 1 shares one file of random bytes (`p2pd --share DIR`, the directory inside its data area); once the
 * mesh has formed, every other daemon fetches it by its root, all within a few seconds (each `staggerMs` after the
 * previous). A fetcher that finished shares its copy, so later fetchers draw blocks from it as well as from the
 * source (multi-source). A fetch counts as delivered only when the file is stored complete and its SHA-256 (hashed
 * again here, not taken from the daemon) equals the source's.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LabUsageError } from '../errors.js';
import type { Lab } from '../lab.js';
import { sleep, waitUntil } from '../observe/wait.js';
import { ensureMesh, running } from './mesh-steps.js';
import type { Progress, ScenarioOutcome } from './types.js';

/** Options of the files scenario. */
export interface FilesOptions {
  /** Size of the shared file; default 32 MiB. */
  bytes?: number;
  /** Delay between the starts of two fetches; default 1500 ms (0: all at the same instant, the source alone serves). */
  staggerMs?: number;
  /** How long every fetch may take; default 5 minutes (a dozen hosts share two cores). */
  timeoutMs?: number;
  progress?: Progress;
}

/** Largest file the scenario makes (it lives on the machine's temporary directory). */
const MAX_BYTES = 256 * 1024 * 1024;
/** Random bytes are written in pieces of this size, so the file never sits whole in memory. */
const PIECE = 4 * 1024 * 1024;

/** Runs the files scenario on the lab's hosts (starting daemons with LAN discovery, host 1 sharing, if none runs). */
export async function runFiles(lab: Lab, opts: FilesOptions = {}): Promise<ScenarioOutcome> {
  const say = opts.progress ?? (() => {});
  const hosts = lab.network.hosts;
  if (hosts.length < 2) throw new LabUsageError('files needs at least 2 hosts (a source and a fetcher)');
  const size = Math.min(MAX_BYTES, opts.bytes ?? 32 * 1024 * 1024);
  const sourceHost = hosts[0]!;
  if (running(lab).length > 0) throw new LabUsageError('files starts its own daemons (host 1 shares at start)');
  const shareDir = join(lab.dataDirOf(sourceHost), 'shared');
  mkdirSync(shareDir, { recursive: true, mode: 0o700 });
  const sha256 = writeRandomFile(join(shareDir, 'lab-file.bin'), size);
  say(`files: ${size} random bytes in ${shareDir}, sha256 ${sha256.slice(0, 16)}…`);
  await lab.startAll((h) => (h.index === sourceHost.index ? ['--share', shareDir] : []), '', hosts);
  const daemons = await ensureMesh(lab, hosts);
  const source = daemons.find((d) => d.host.index === sourceHost.index)!;
  const fetchers = daemons.filter((d) => d !== source);
  // The daemon scans its shares in the background: wait until the file has its root.
  let root = '';
  await waitUntil('the source to index its share', async () => {
    const f = (await source.control.files()).find((x) => x.name === 'lab-file.bin');
    root = f?.root ?? '';
    return root !== '' && f!.sha256 === sha256;
  }, 60_000, 300);
  say(`files: root ${root.slice(0, 16)}…; ${fetchers.length} daemons fetch it, one every ${opts.staggerMs ?? 1500} ms`);
  const started = Date.now();
  const stagger = opts.staggerMs ?? 1500;
  const results = await Promise.all(fetchers.map(async (d, i) => {
    await sleep(i * stagger);
    const begun = Date.now();
    try {
      const got = await d.control.get(root, opts.timeoutMs ?? 300_000);
      const ms = Date.now() - begun;
      // The daemon's own sha256 is a claim; the file on disk is hashed again here.
      const onDisk = await hashFile(got.path);
      const ok = onDisk === sha256 && got.bytes === size;
      // A finished copy is offered to the fetchers still to come (indexed before the call answers).
      if (ok) await d.control.share(dirname(got.path));
      return { host: d.host.index, ok, ms, sources: got.sources.length, error: '' };
    } catch (err) {
      return { host: d.host.index, ok: false, ms: Date.now() - begun, sources: 0, error: (err as Error).message };
    }
  }));
  const elapsedMs = Date.now() - started;
  const delivered = results.filter((r) => r.ok).length;
  const movedBytes = delivered * size;
  const throughputMiBps = elapsedMs > 0 ? Math.round((movedBytes / (1024 * 1024) / (elapsedMs / 1000)) * 10) / 10 : 0;
  const multiSource = results.filter((r) => r.sources > 1).length;
  say(`files: ${delivered}/${fetchers.length} verified in ${elapsedMs} ms, ${throughputMiBps} MiB/s aggregate, ${multiSource} from several sources`);
  return {
    sent: fetchers.length, expected: fetchers.length, delivered, duplicates: 0, healed: true, detectMs: null, convergeMs: null,
    details: {
      bytes: size, root, sha256, staggerMs: stagger, searchMs: 2000, elapsedMs, throughputMiBps, multiSource,
      fetches: results.map(({ host, ok, ms, sources, error }) => ({ host, ok, ms, sources, ...(error ? { error } : {}) })),
    },
  };
}

/** Writes `size` random bytes to `path` in pieces; returns their SHA-256 (hex). */
function writeRandomFile(path: string, size: number): string {
  const hash = createHash('sha256');
  writeFileSync(path, '');
  for (let done = 0; done < size; done += PIECE) {
    const piece = randomBytes(Math.min(PIECE, size - done));
    hash.update(piece);
    writeFileSync(path, piece, { flag: 'a' });
  }
  return hash.digest('hex');
}

/** SHA-256 (hex) of a file, streamed. */
async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
