import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** One regular file found under a share. */
export interface WalkedFile {
  /** Name relative to the share, forward slashes. */
  name: string;
  /** Real path (symlinks resolved, always inside the share). */
  path: string;
  /** Size in bytes. */
  size: number;
  /** Modification time, ms. */
  mtimeMs: number;
  /** Inode number. */
  ino: number;
}

/** Bounds of a walk. */
export interface WalkLimits {
  /** Most files listed; the rest are skipped with a warning. */
  maxFiles: number;
  /** Deepest directory level entered. */
  maxDepth: number;
}

/** Names the walker never lists: partial downloads and their sidecars are not files yet. */
export function isTransientName(name: string): boolean {
  return name.endsWith('.part') || name.endsWith('.part.json') || name.endsWith('.p2p-tmp');
}

/**
 * Lists the regular files under a share, recursively. Symlinks are followed only to regular files whose real path
 * stays inside the share (never to directories, so no loops); devices, FIFOs and sockets are skipped.
 */
export async function walkShare(shareDir: string, limits: WalkLimits, onSkip?: (path: string, reason: string) => void): Promise<WalkedFile[]> {
  const root = await realpath(shareDir);
  const prefix = root.endsWith(sep) ? root : root + sep;
  const out: WalkedFile[] = [];
  const visit = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) { onSkip?.(dir, 'too deep'); return; }
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      onSkip?.(dir, (err as Error).message);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= limits.maxFiles) { onSkip?.(dir, `more than ${limits.maxFiles} files`); return; }
      const path = join(dir, e.name);
      const name = rel ? `${rel}/${e.name}` : e.name;
      if (isTransientName(e.name) || e.name.includes('\\')) continue;
      if (e.isDirectory()) { await visit(path, name, depth + 1); continue; }
      let real = path;
      if (e.isSymbolicLink()) {
        try {
          real = await realpath(path);
        } catch {
          onSkip?.(path, 'dangling symlink');
          continue;
        }
        if (!real.startsWith(prefix)) { onSkip?.(path, 'symlink leaves the share'); continue; }
      } else if (!e.isFile()) {
        onSkip?.(path, 'not a regular file');
        continue;
      }
      try {
        const st = await stat(real);
        if (!st.isFile()) { onSkip?.(path, 'not a regular file'); continue; }
        out.push({ name, path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
      } catch (err) {
        onSkip?.(path, (err as Error).message);
      }
    }
  };
  await visit(root, '', 0);
  return out;
}
