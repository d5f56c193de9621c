/** A size-limited tmpfs the test mounts itself (needs root; callers skip cleanly without it), and ways to fill it. */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, writeSync, type PathLike } from 'node:fs';
import { mkdtemp, rm, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A mounted tmpfs. */
export interface Tmpfs {
  /** Where it is mounted. */
  dir: string;
  /** Unmounts it and removes the mount point. */
  unmount(): Promise<void>;
}

/** True when this process may mount a tmpfs (root, with the capability to mount). */
export function canMountTmpfs(): boolean {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  const probe = join(tmpdir(), `inbox-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    try {
      execFileSync('rmdir', [probe], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** Mounts a tmpfs of `size` (mount's syntax: 4m, 256k) on a fresh directory. */
export async function mountTmpfs(size: string): Promise<Tmpfs> {
  const dir = await mkdtemp(join(tmpdir(), 'inbox-tmpfs-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    async unmount() {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes `path` until the file system refuses a single byte more; resolves with the file's size. */
export function fillToTheLastByte(path: PathLike): number {
  const fd = openSync(path, 'w');
  let size = 0;
  try {
    for (const block of [64 * 1024, 4096, 512, 1]) {
      const chunk = Buffer.alloc(block, 0x2e);
      for (;;) {
        try {
          const n = writeSync(fd, chunk);
          size += n;
          if (n < block) break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return size;
}

/** Gives `bytes` back to the file system by shortening the filler. */
export async function freeBytes(path: string, size: number, bytes: number): Promise<number> {
  await truncate(path, Math.max(0, size - bytes));
  return Math.max(0, size - bytes);
}
