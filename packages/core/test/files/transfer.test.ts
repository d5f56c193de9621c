// Verified, multi-source, resumable transfers between real nodes over TLS on loopback, files on tmpfs.
import { readdir, readFile, stat, utimes, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_FILE_LIMITS, PartFile, type DownloadProgress, type SearchHit } from '../../src/files/index.js';
import { addressOf } from '../helpers.js';
import { FileHarness, sha256File, writeRandomFile, type FileNodeUnderTest } from './file-helpers.js';

const fh = new FileHarness();
afterAll(() => fh.cleanup());
const MiB = 1024 * 1024;
// Blocks one source can have in flight at once (files up to 250 MiB have 128 KiB blocks).
const WINDOW = DEFAULT_FILE_LIMITS.inFlightBytesPerSource / (128 * 1024);

async function holder(name: string, file: string, size: number, requests?: Map<string, Map<number, number>>, dataDir?: string, port = 0): Promise<{ n: FileNodeUnderTest; sha: string; dir: string }> {
  const dir = await fh.dir();
  const sha = await writeRandomFile(join(dir, file), size);
  const n = await fh.start({ name, dataDir, listen: { host: '127.0.0.1', port } }, { shares: [dir] }, requests);
  return { n, sha, dir };
}

async function hitsFor(asker: FileNodeUnderTest, holders: FileNodeUnderTest[], file: string): Promise<SearchHit[]> {
  for (const h of holders) await asker.node.connect(addressOf(h.node), h.node.peerId);
  const hits = await asker.files.search(file, { exact: true, timeoutMs: 800 });
  expect(hits).toHaveLength(holders.length);
  return hits;
}

/** Resolves when a download's verified bytes pass `fraction` of its size. */
function when(n: FileNodeUnderTest, fraction: number): Promise<DownloadProgress> {
  return new Promise((resolve) => {
    const off = n.files.onProgress((p) => { if (p.bytes >= p.size * fraction) { off(); resolve(p); } });
  });
}

async function sidecarVerified(dest: string): Promise<Set<number>> {
  const raw = JSON.parse(await readFile(PartFile.sidecarPath(dest), 'utf8')) as { verified: string };
  const bits = Buffer.from(raw.verified, 'base64');
  const out = new Set<number>();
  for (let i = 0; i < bits.length * 8; i++) if (bits[i >> 3]! & (1 << (i & 7))) out.add(i);
  return out;
}

describe('file transfer', () => {
  it('moves 200 MiB from one holder, verified by hash', async () => {
    const { n: src, sha } = await holder('src', 'big.bin', 200 * MiB);
    const dst = await fh.start({ name: 'dst' });
    const hits = await hitsFor(dst, [src], 'big.bin');
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    const path = await d.done;
    expect(path).toBe(join(dst.files.downloadsDir, 'big.bin'));
    expect(await sha256File(path)).toBe(sha);
    expect((await readdir(dst.files.downloadsDir)).sort()).toEqual(['big.bin']);
    expect(d.progress()).toMatchObject({ state: 'done', bytes: 200 * MiB, sources: [src.node.peerId] });
  });

  it('finishes from the others when one of three holders dies mid-way', async () => {
    const size = 48 * MiB;
    const a = await holder('a', 'multi.bin', size);
    const dir = a.dir;
    const others = await Promise.all(['b', 'c'].map((name) => fh.start({ name }, { shares: [dir] })));
    const dst = await fh.start({ name: 'dst' });
    const hits = await hitsFor(dst, [a.n, ...others], 'multi.bin');
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    await when(dst, 0.3);
    const victim = others[0]!;
    await fh.stop(victim);
    const path = await d.done;
    expect(await sha256File(path)).toBe(a.sha);
    expect(d.progress().sources).toContain(a.n.node.peerId);
    expect(d.progress().sources).toContain(others[1]!.node.peerId);
  });

  it('drops a holder that serves a corrupted block and completes from the honest one', async () => {
    const size = 24 * MiB;
    const good = await holder('good', 'c.bin', size);
    const badDir = await fh.dir();
    await writeFile(join(badDir, 'c.bin'), await readFile(join(good.dir, 'c.bin')));
    const bad = await fh.start({ name: 'bad' }, { shares: [badDir] });
    // Corrupt every block on disk behind the index's back: same size, same mtime, same inode.
    const st = await stat(join(badDir, 'c.bin'));
    const f = await open(join(badDir, 'c.bin'), 'r+');
    for (let off = 1000; off < size; off += 128 * 1024) await f.write(Buffer.from('corrupt'), 0, 7, off);
    await f.close();
    await utimes(join(badDir, 'c.bin'), st.atime, st.mtime);
    const dst = await fh.start({ name: 'dst' });
    const hits = await hitsFor(dst, [good.n, bad], 'c.bin');
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    const path = await d.done;
    expect(await sha256File(path)).toBe(good.sha);
    expect(d.progress().sources).toEqual([good.n.node.peerId]);
    // The bad holder got at most its first window of requests, then nothing more.
    const served = [...(bad.requests.values().next().value?.values() ?? [])].reduce((x, y) => x + y, 0);
    expect(served).toBeLessThanOrEqual(WINDOW);
  });

  it('resumes after the only holder is killed and restarted, without asking again for a verified block', async () => {
    const size = 64 * MiB;
    const requests = new Map<string, Map<number, number>>();
    const first = await holder('src', 'r.bin', size, requests);
    const port = addressOf(first.n.node).port;
    const dst = await fh.start({ name: 'dst' }, { limits: { stallTimeoutMs: 60_000 } });
    const hits = await hitsFor(dst, [first.n], 'r.bin');
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    await when(dst, 0.3);
    await fh.stop(first.n);
    await new Promise((r) => setTimeout(r, 400));
    const before = await sidecarVerified(join(dst.files.downloadsDir, 'r.bin'));
    const counts = new Map<number, number>();
    for (const [i, c] of requests.values().next().value!) counts.set(i, c);
    requests.clear();
    expect(['stalled', 'running']).toContain(d.state);
    // Same identity, same port, same share: the downloader finds it again by itself.
    await fh.start({ name: 'src', dataDir: first.n.dataDir, listen: { host: '127.0.0.1', port } }, { shares: [first.dir] }, requests);
    const path = await d.done;
    expect(await sha256File(path)).toBe(first.sha);
    const after = requests.values().next().value!;
    for (const i of before) expect(after.has(i)).toBe(false);
    for (const [i, c] of after) counts.set(i, (counts.get(i) ?? 0) + c);
    // Only blocks in flight at the kill can be asked twice: at most one window.
    expect([...counts.values()].filter((c) => c > 1).length).toBeLessThanOrEqual(WINDOW);
    expect(before.size).toBeGreaterThan(0);
  });

  it('resumes after the downloader restarts, without asking again for a verified block', async () => {
    const size = 64 * MiB;
    const src = await holder('src', 'd.bin', size);
    const dst = await fh.start({ name: 'dst' });
    const hits = await hitsFor(dst, [src.n], 'd.bin');
    await dst.files.download({ target: hits[0]!.root, hits });
    await when(dst, 0.4);
    await fh.stop(dst);
    const dest = join(dst.files.downloadsDir, 'd.bin');
    const before = await sidecarVerified(dest);
    expect(before.size).toBeGreaterThan(0);
    expect(before.size).toBeLessThan(512);
    const root = hits[0]!.root;
    const earlier = new Map(src.n.requests.get(root)!);
    src.n.requests.clear();
    // The same data directory: the partial download is found and resumed on start.
    const again = await fh.start({ name: 'dst', dataDir: dst.dataDir });
    const d = again.files.downloads().find((x) => x.root === root);
    expect(d).toBeDefined();
    await new Promise<void>((resolve, reject) => {
      const off = again.files.onProgress((p) => { if (p.state === 'done') { off(); resolve(); } if (p.state === 'failed') reject(new Error(p.error)); });
    });
    expect(await sha256File(dest)).toBe(src.sha);
    const after = src.n.requests.get(root)!;
    for (const i of before) expect(after.has(i)).toBe(false);
    for (const [i] of after) expect(before.has(i)).toBe(false);
    expect(earlier.size + after.size).toBeGreaterThanOrEqual(512);
  });
});
