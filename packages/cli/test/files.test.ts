// p2p-cli's file commands against real daemons on loopback: share, files, search, get, downloads, exit codes.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, killAll, runCli, startDaemon, tempDir, type Daemon } from './processes.js';

afterAll(killAll);

describe('p2p-cli file sharing against two daemons', () => {
  let alice: Daemon;
  let bob: Daemon;
  let share: string;
  const payload = randomBytes(3 * 1024 * 1024 + 17);
  const sha = createHash('sha256').update(payload).digest('hex');
  const cli = (d: Daemon, ...args: string[]) => runCli(['--data-dir', d.dataDir, ...args]);

  beforeAll(async () => {
    share = await tempDir('p2p-share-');
    await mkdir(join(share, 'sub'));
    await writeFile(join(share, 'sub', 'payload.bin'), payload);
    const port = String(20000 + Math.floor(Math.random() * 20000));
    const lan = ['--listen', '127.0.0.1:0', '--interface', '127.0.0.1', '--mask', '8', '--discovery-port', port];
    alice = await startDaemon('alice', [...lan, '--share', share]);
    bob = await startDaemon('bob', lan);
  }, 60_000);

  it('lists what a daemon shares', async () => {
    const r = await cli(alice, 'files', '--json');
    expect(r.code).toBe(0);
    const files = JSON.parse(r.stdout) as { name: string; size: number; root: string; sha256: string }[];
    expect(files).toEqual([expect.objectContaining({ name: 'sub/payload.bin', size: payload.length, sha256: sha })]);
    const table = await cli(alice, 'files');
    expect(table.stdout).toContain('sub/payload.bin');
  });

  it('searches the LAN and downloads a verified file, printing plain progress lines when piped', async () => {
    let hits: { peerId: string; name: string; file: string; size: number; sha256: string; root: string }[] = [];
    await eventually(async () => {
      const r = await cli(bob, 'search', 'PAYLOAD', '--json', '--timeout', '1');
      hits = r.code === 0 ? JSON.parse(r.stdout) : [];
      return hits.length === 1;
    }, 30_000, 'a search hit');
    expect(Object.keys(hits[0]!).sort()).toEqual(['file', 'name', 'peerId', 'root', 'sha256', 'size']);
    expect(hits[0]).toMatchObject({ peerId: alice.peerId, name: 'alice', file: 'sub/payload.bin', size: payload.length, sha256: sha });
    const out = await tempDir('p2p-out-');
    const plain = await cli(bob, 'get', 'payload.bin', '-o', out);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout.trim().split('\n').pop()).toBe(join(out, 'payload.bin'));
    expect(plain.stdout).toMatch(/^done \d+\/\d+ bytes/m);
    expect(createHash('sha256').update(await readFile(join(out, 'payload.bin'))).digest('hex')).toBe(sha);
    const json = await cli(bob, 'get', hits[0]!.root, '--json');
    expect(json.code, json.stderr).toBe(0);
    const done = JSON.parse(json.stdout) as { path: string; bytes: number; sha256: string; root: string; sources: string[] };
    expect(done).toEqual({ path: expect.stringContaining('payload.bin'), bytes: payload.length, sha256: sha, root: hits[0]!.root, sources: [alice.peerId] });
    const list = await cli(bob, 'downloads', '--json');
    expect((JSON.parse(list.stdout) as { state: string }[]).map((d) => d.state)).toContain('done');
  });

  it('exits 5 when nobody has the file, and refuses a share that is not a directory', async () => {
    const r = await cli(bob, 'get', 'no-such-file.bin', '--timeout', '0.5');
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('file not found');
    const s = await cli(bob, 'share', join(share, 'sub', 'payload.bin'));
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('not a directory');
    const ok = await cli(bob, 'share', share, '--json');
    expect(JSON.parse(ok.stdout)).toEqual({ shares: [share] });
    const un = await cli(bob, 'unshare', share, '--json');
    expect(JSON.parse(un.stdout)).toEqual({ shares: [] });
  });

  it('shows an example in the --help of every file command', async () => {
    for (const command of ['share', 'unshare', 'files', 'search', 'get', 'downloads']) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(/Examples:\n {2}p2p-cli /);
    }
  });
});
