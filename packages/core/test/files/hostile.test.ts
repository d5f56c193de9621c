// Hostile input on the file path: a holder announcing names that try to leave the downloads directory, block
// requests for files that are not shared, and a downloader whose disk is full.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { v1 } from '../../src/codec/wire.js';
import { blockSizeFor } from '../../src/files/block-layout.js';
import { InsufficientSpaceError, MAX_BLOCK_SIZE, PartFile, signFound, type SearchHit } from '../../src/files/index.js';
import { peerIdFromString } from '../../src/identity/peer-id.js';
import { addressOf, waitFor } from '../helpers.js';
import { FAST_TMP, FileHarness, sha256File, writeRandomFile } from './file-helpers.js';

const fh = new FileHarness();
afterAll(() => fh.cleanup());
const MiB = 1024 * 1024;

describe('hostile holders and requests', () => {
  it.each([
    ['../../../../tmp/evil-p2p.txt', 'evil-p2p.txt'], ['/etc/cron.d/evil', 'evil'], ['..', 'download'],
    ['sub/../../x.sh', 'x.sh'], ['C:\\Windows\\evil.exe', 'evil.exe'], ['.bashrc', 'bashrc'],
  ])('a holder announcing %j cannot write outside the downloads directory (lands as %j)', async (announced, safe) => {
    const dir = await fh.dir();
    const sha = await writeRandomFile(join(dir, 'payload.bin'), 300 * 1024);
    const src = await fh.start({ name: 'evil' }, { shares: [dir] });
    // Registered before the file service: it answers every search with the real file under a lying name.
    src.node.onEnvelope((from, env) => {
      if (!env.get) return false;
      const f = src.files.files()[0]!;
      const found = signFound({
        queryId: env.get.queryId, peerId: peerIdFromString(src.node.peerId), to: env.get.origin, fileName: announced, size: f.size,
        sha256: Buffer.from(f.sha256, 'hex'), blockSize: 131072, root: Buffer.from(f.root, 'hex'), holderName: 'evil',
        host: '127.0.0.1', port: addressOf(src.node).port,
      }, src.node.signer);
      src.node.sendEnvelope(from, { found });
      return true;
    });
    // The evil handler must run first: re-register the service's handlers after it.
    await src.files.stop();
    await src.files.start();
    const dst = await fh.start({ name: 'dst' });
    await dst.node.connect(addressOf(src.node), src.node.peerId);
    const hits = await dst.files.search('payload', { timeoutMs: 600 });
    expect(hits.map((h) => h.file)).toEqual([announced]);
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    const path = await d.done;
    expect(path).toBe(join(dst.files.downloadsDir, safe));
    expect(await readdir(dst.files.downloadsDir)).toEqual([safe]);
    expect(await sha256File(path)).toBe(sha);
  });

  it('answers block and hash-list requests only for shared files, and refuses bad indexes', async () => {
    const dir = await fh.dir();
    await writeRandomFile(join(dir, 'ok.bin'), 200 * 1024);
    const src = await fh.start({ name: 'src' }, { shares: [dir] });
    const asker = await fh.h.node({ name: 'raw' });
    await asker.connect(addressOf(src.node), src.node.peerId);
    const errors: number[] = [];
    const data: number[] = [];
    asker.onEnvelope((_from, env) => {
      if (env.transferError) errors.push(env.transferError.code ?? 0);
      if (env.blockData) data.push(env.blockData.data?.length ?? 0);
      return true;
    });
    const root = Buffer.from(src.files.files()[0]!.root, 'hex');
    const t = new Uint8Array(16);
    const send = (e: Parameters<typeof asker.sendEnvelope>[1]): boolean => asker.sendEnvelope(src.node.peerId, e);
    send({ blockRequest: { transferId: t, root: new Uint8Array(32), index: 0 } });
    send({ blockRequest: { transferId: t, fileSha256: new Uint8Array(32).fill(1), index: 0 } });
    send({ blockRequest: { transferId: t, root, index: 2 } });
    send({ blockRequest: { transferId: t, root, index: 0, count: 1000 } });
    send({ blockRequest: { transferId: t, root, index: 0, blockSize: 4096 } });
    send({ hashListRequest: { transferId: t, root: new Uint8Array(32) } });
    send({ blockRequest: { transferId: t, root, index: 1 } });
    await waitFor(() => errors.length === 6 && data.length === 1);
    const C = v1.TransferErrorCode;
    expect(errors.sort()).toEqual([C.TRANSFER_ERROR_CODE_NOT_FOUND, C.TRANSFER_ERROR_CODE_NOT_FOUND, C.TRANSFER_ERROR_CODE_BAD_INDEX,
      C.TRANSFER_ERROR_CODE_BAD_INDEX, C.TRANSFER_ERROR_CODE_BAD_REQUEST, C.TRANSFER_ERROR_CODE_NOT_FOUND].sort());
    expect(data).toEqual([200 * 1024 - 131072]);
  });
  it('a holder announcing a petabyte file or a made-up block size costs the downloader nothing', async () => {
    const src = await fh.start({ name: 'liar' });
    const asked: string[] = [];
    const lies = [{ size: 2 ** 50, blockSize: MAX_BLOCK_SIZE }, { size: 2 ** 30, blockSize: 1 }, { size: 1000, blockSize: 0 }];
    src.node.onEnvelope((from, env) => {
      if (env.hashListRequest || env.blockRequest) { asked.push(from); return true; }
      if (!env.get) return false;
      for (const [i, lie] of lies.entries()) {
        src.node.sendEnvelope(from, { found: signFound({
          queryId: env.get.queryId, peerId: peerIdFromString(src.node.peerId), to: env.get.origin, fileName: `huge${i}.bin`, size: lie.size,
          sha256: Buffer.alloc(32, i), blockSize: lie.blockSize, root: Buffer.alloc(32, i + 1), holderName: 'liar',
          host: '127.0.0.1', port: addressOf(src.node).port,
        }, src.node.signer) });
      }
      return true;
    });
    // The liar's handler must run first: re-register the service's handlers after it.
    await src.files.stop();
    await src.files.start();
    const dst = await fh.start({ name: 'dst' });
    await dst.node.connect(addressOf(src.node), src.node.peerId);
    // Made-up block sizes are not the layout the size implies: dropped as answers.
    const hits = await dst.files.search('huge', { timeoutMs: 600 });
    expect(hits.map((h) => h.file)).toEqual(['huge0.bin']);
    // A petabyte: refused for want of room before its block-hash list (32 GiB of hashes) is asked for.
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    const e = await d.done.catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InsufficientSpaceError);
    expect(asked).toEqual([]);
    expect(await readdir(dst.files.downloadsDir)).toEqual([]);
  });

  it('a holder sending more bytes than asked is dropped; the file completes from the honest one, no byte past its size', async () => {
    const dir = await fh.dir();
    const sha = await writeRandomFile(join(dir, 'm.bin'), 2 * MiB);
    const good = await fh.start({ name: 'good' }, { shares: [dir] });
    const liarDir = await fh.dir();
    await writeFile(join(liarDir, 'm.bin'), await readFile(join(dir, 'm.bin')));
    const liar = await fh.start({ name: 'liar' }, { shares: [liarDir] });
    let lies = 0;
    // Every block the liar serves is the right block with a kilobyte of its own after it.
    liar.node.onEnvelope((from, env) => {
      const r = env.blockRequest;
      if (!r) return false;
      const bs = blockSizeFor(liar.files.files()[0]!.size);
      void readFile(join(liarDir, 'm.bin')).then((all) => {
        const start = (r.index ?? 0) * bs;
        const body = all.subarray(start, Math.min(all.length, start + (r.count || 1) * bs));
        lies++;
        liar.node.sendEnvelope(from, { blockData: { transferId: r.transferId, index: r.index, data: Buffer.concat([body, Buffer.alloc(1024, 7)]) } });
      });
      return true;
    });
    await liar.files.stop();
    await liar.files.start();
    const dst = await fh.start({ name: 'dst' });
    for (const n of [good, liar]) await dst.node.connect(addressOf(n.node), n.node.peerId);
    const hits = await dst.files.search('m.bin', { exact: true, timeoutMs: 600 });
    expect(hits).toHaveLength(2);
    const d = await dst.files.download({ target: hits[0]!.root, hits });
    const path = await d.done;
    expect(await sha256File(path)).toBe(sha);
    expect((await stat(path)).size).toBe(2 * MiB);
    expect(d.progress().sources).toEqual([good.node.peerId]);
    expect(lies).toBeGreaterThan(0);
  });

});

const canMount = process.getuid?.() === 0;

describe.skipIf(!canMount)('a full disk on the downloader (a small tmpfs)', () => {
  let mnt: string | undefined;
  afterAll(async () => {
    if (!mnt) return;
    await fh.cleanup();
    // Lazy as a last resort: nothing of ours may keep the mount alive past the test.
    try { execFileSync('umount', [mnt]); } catch { try { execFileSync('umount', ['-l', mnt]); } catch { /* already gone */ } }
    await rm(mnt, { recursive: true, force: true });
  });

  it('refuses to start without room, and a disk that fills mid-way leaves a resumable partial file', async () => {
    mnt = join(FAST_TMP, `p2p-files-full-${process.pid}`);
    await mkdir(mnt, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt]);
    const dir = await fh.dir();
    const sha = await writeRandomFile(join(dir, 'f.bin'), 16 * MiB);
    const src = await fh.start({ name: 'src' }, { shares: [dir] });
    // 1. statfs says there is no room: a clear error before anything is written.
    const dst = await fh.start({ name: 'dst' }, { downloadsDir: mnt });
    await dst.node.connect(addressOf(src.node), src.node.peerId);
    const hits: SearchHit[] = await dst.files.search('f.bin', { exact: true, timeoutMs: 600 });
    const d1 = await dst.files.download({ target: hits[0]!.root, hits });
    const e1 = await d1.done.catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(InsufficientSpaceError);
    expect((e1 as InsufficientSpaceError).code).toBe('ERR_NO_SPACE');
    expect(await readdir(mnt)).toEqual([]);
    await fh.stop(dst);
    // 2. The space check is fooled (another writer filled the disk after it): the writes hit ENOSPC.
    const dst2 = await fh.start({ name: 'dst2' }, { downloadsDir: mnt, freeSpace: async () => 1e12 });
    await dst2.node.connect(addressOf(src.node), src.node.peerId);
    const d2 = await dst2.files.download({ target: hits[0]!.root, hits });
    const e2 = await d2.done.catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(InsufficientSpaceError);
    expect((await readdir(mnt)).sort()).toEqual(['f.bin.part', 'f.bin.part.json']);
    const part = await PartFile.load(join(mnt, 'f.bin'));
    expect(part).toBeDefined();
    await part!.close();
    // 3. Room is made: the same download resumes from what was kept and completes.
    execFileSync('mount', ['-o', 'remount,size=40m', mnt]);
    const d3 = await dst2.files.resume(hits[0]!.root);
    const path = await d3.done;
    expect(path).toBe(join(mnt, 'f.bin'));
    expect(await sha256File(path)).toBe(sha);
    void writeFile;
  });
});
