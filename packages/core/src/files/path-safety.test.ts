import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsafePathError } from './errors.js';
import { checkRelativeName, resolveInShare, sanitizeDownloadName } from './path-safety.js';

describe('path safety', () => {
  let dir: string;
  let share: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'p2p-paths-'));
    share = join(dir, 'share');
    await mkdir(join(share, 'sub'), { recursive: true });
    await writeFile(join(share, 'sub', 'ok.txt'), 'ok');
    await writeFile(join(dir, 'secret.txt'), 'secret');
    await symlink(join(dir, 'secret.txt'), join(share, 'out-link'));
    await symlink(join(share, 'sub', 'ok.txt'), join(share, 'in-link'));
    await symlink(dir, join(share, 'dir-link'));
    execFileSync('mkfifo', [join(share, 'fifo')]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('resolves a regular file inside the share, and a symlink that stays inside', async () => {
    expect(await resolveInShare(share, 'sub/ok.txt')).toBe(join(share, 'sub', 'ok.txt'));
    expect(await resolveInShare(share, 'in-link')).toBe(join(share, 'sub', 'ok.txt'));
  });

  it.each([
    ['..', "'..' segment"], ['../secret.txt', "'..' segment"], ['sub/../../secret.txt', "'..' segment"],
    ['/etc/passwd', 'absolute'], ['/tmp/secret.txt', 'absolute'], ['C:/x', 'absolute'],
    ['%2e%2e/secret.txt', 'percent'], ['sub%2f..%2f..%2fsecret.txt', 'percent'], ['..%252fsecret.txt', 'percent'],
    ['sub\\..\\..\\secret.txt', 'backslash'], ['sub/ok.txt\u0000.png', 'NUL'], ['sub//ok.txt', 'empty'], ['./sub/ok.txt', 'empty'],
    ['out-link', 'leaves the share'], ['dir-link/secret.txt', 'leaves the share'], ['fifo', 'not a regular file'],
    ['sub', 'not a regular file'], ['/dev/zero', 'absolute'], ['missing', 'no such file'], ['', 'empty'],
  ])('refuses %j (%s)', async (name, reason) => {
    const err = await resolveInShare(share, name).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsafePathError);
    expect((err as UnsafePathError).code).toBe('ERR_UNSAFE_PATH');
    expect((err as Error).message).toContain(reason);
  });

  it('checks names without touching the disk', () => {
    expect(checkRelativeName('a/b c/d.txt')).toEqual(['a', 'b c', 'd.txt']);
    expect(() => checkRelativeName('a/../b')).toThrow(UnsafePathError);
  });

  it.each([
    ['../../etc/passwd', 'passwd'], ['/etc/passwd', 'passwd'], ['..', 'download'], ['../', 'download'], ['C:\\Windows\\evil.exe', 'evil.exe'],
    ['a\u0000b', 'a_b'], ['.bashrc', 'bashrc'], ['...', 'download'], ['x.part', 'x.part_'], ['ok name.txt', 'ok name.txt'],
    ['%2e%2e%2fx', '%2e%2e%2fx'], ['invoice\u202efdp.exe', 'invoice_fdp.exe'], ['a\u0085b\u200bc', 'a_b_c'], ['x\u2028y', 'x_y'],
  ])('sanitises a holder-announced name %j to %j', (name, safe) => {
    expect(sanitizeDownloadName(name)).toBe(safe);
  });

  it('cuts a megabyte-long announced name to 200 bytes in one go, never leaving half a surrogate pair', () => {
    // Trimmed one character at a time this took minutes: a holder's name could stall the downloader's event loop.
    for (const name of ['é'.repeat(500_000), '😀'.repeat(300_000), `${'.'.repeat(1000)}x`]) {
      const out = sanitizeDownloadName(name);
      expect(Buffer.byteLength(out)).toBeLessThanOrEqual(200);
      expect(out.length).toBeGreaterThan(0);
      expect(out).not.toMatch(/[\ud800-\udbff]$/);
    }
  });
});
