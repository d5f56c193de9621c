import { chmod, lstat, mkdir, unlink } from 'node:fs/promises';
import { connect, type Server } from 'node:net';
import { dirname } from 'node:path';
import { BindError, DaemonAlreadyRunningError, SocketDirError } from '../errors.js';

async function answersOnSocket(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/** Throws DaemonAlreadyRunningError when a daemon answers on `socketPath`. */
export async function assertNoDaemonOn(socketPath: string): Promise<void> {
  const existing = await lstat(socketPath).catch(() => undefined);
  if (existing?.isSocket() && (await answersOnSocket(socketPath))) throw new DaemonAlreadyRunningError(socketPath);
}

/**
 * Binds `server` to a Unix socket at `socketPath` with `mode` (0o600 or 0o660): creates its directory when missing
 * (0700, or 0750 for a group socket), refuses when a daemon answers there, replaces a stale socket.
 */
export async function bindSocketFile(server: Server, socketPath: string, mode: number): Promise<void> {
  const dir = dirname(socketPath);
  const dirMode = mode & 0o070 ? 0o750 : 0o700;
  try {
    // Created here: set its mode explicitly, whatever the umask (UMask=0077 under systemd).
    if (await mkdir(dir, { recursive: true, mode: dirMode })) await chmod(dir, dirMode);
  } catch (err) {
    throw new SocketDirError(dir, `cannot be created (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const existing = await lstat(socketPath).catch(() => undefined);
  if (existing) {
    if (existing.isSocket() && (await answersOnSocket(socketPath))) throw new DaemonAlreadyRunningError(socketPath);
    if (!existing.isSocket()) throw new BindError('the control API', socketPath, new Error('a file that is not a socket is in the way'));
    await unlink(socketPath);
  }
  // The umask covers the instant between bind and chmod, so the socket is never reachable by others.
  const previous = process.umask(0o777 & ~mode);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw new BindError('the control API', socketPath, err);
  } finally {
    process.umask(previous);
  }
  await chmod(socketPath, mode);
}
