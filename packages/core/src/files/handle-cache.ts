import { open, type FileHandle } from 'node:fs/promises';

/** An open file with the identity it was opened for. */
export interface CachedHandle {
  /** The handle. */
  fh: FileHandle;
  /** Size, mtime and inode seen at open. */
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Keeps at most `limit` files open, least recently used closed first; handles in use are closed when released. */
export class HandleCache {
  private readonly map = new Map<string, Promise<CachedHandle>>();
  private readonly users = new Map<string, number>();

  constructor(private readonly limit: number) {}

  /**
   * Opens (or reuses) the file known as `path`; `locate` gives the real path to open on a miss (the path-safety
   * resolver, so it runs once per open rather than once per request). Call release(path) when done.
   */
  async acquire(path: string, locate: () => Promise<string> = async () => path): Promise<CachedHandle> {
    let p = this.map.get(path);
    if (p) {
      this.map.delete(path);
      this.map.set(path, p);
    } else {
      p = locate().then((real) => open(real, 'r')).then(async (fh) => {
        const st = await fh.stat();
        return { fh, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
      });
      this.map.set(path, p);
      p.catch(() => this.map.delete(path));
      this.evict();
    }
    this.users.set(path, (this.users.get(path) ?? 0) + 1);
    try {
      return await p;
    } catch (err) {
      this.release(path);
      throw err;
    }
  }

  /** Ends one use of `path`. */
  release(path: string): void {
    const n = (this.users.get(path) ?? 1) - 1;
    if (n <= 0) this.users.delete(path); else this.users.set(path, n);
    if (n <= 0 && !this.map.has(path)) void this.closeLater(path);
    this.evict();
  }

  /** Drops a file from the cache (it changed); it closes once no longer in use. */
  forget(path: string): void {
    const p = this.map.get(path);
    this.map.delete(path);
    if (p && !this.users.has(path)) void p.then((h) => h.fh.close()).catch(() => undefined);
    else if (p) this.orphans.set(path, p);
  }

  private readonly orphans = new Map<string, Promise<CachedHandle>>();

  private async closeLater(path: string): Promise<void> {
    const p = this.orphans.get(path);
    this.orphans.delete(path);
    if (p) await p.then((h) => h.fh.close()).catch(() => undefined);
  }

  private evict(): void {
    for (const path of this.map.keys()) {
      if (this.map.size <= this.limit) return;
      if (this.users.has(path)) continue;
      this.forget(path);
    }
  }

  /** Closes every file. */
  async close(): Promise<void> {
    const all = [...this.map.values(), ...this.orphans.values()];
    this.map.clear();
    this.orphans.clear();
    await Promise.all(all.map((p) => p.then((h) => h.fh.close()).catch(() => undefined)));
  }
}
