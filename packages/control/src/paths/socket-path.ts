import { createHash } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import { defaultDataDir, isDefaultDataDir } from './data-dir.js';

/** File name of the control socket of the default data directory (and in a service's runtime directory). */
export const CONTROL_SOCKET_NAME = 'p2pd.sock';
/** Where the system service's socket is: systemd's RuntimeDirectory=p2p. */
export const SERVICE_SOCKET_PATH = '/run/p2p/p2pd.sock';
/** Variable naming the control socket, for p2pd and p2p-cli alike (as --socket). */
export const SOCKET_ENV = 'P2P_SOCKET';

/** What decides where the socket is. */
export interface SocketLocation {
  /** The daemon's data directory. */
  dataDir: string;
  /** An explicit socket path (--socket or P2P_SOCKET); wins over everything. */
  socket?: string | undefined;
  /** The environment (XDG_RUNTIME_DIR, and systemd's RUNTIME_DIRECTORY for the daemon). */
  env?: NodeJS.ProcessEnv;
}

function runtimeDir(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env.XDG_RUNTIME_DIR;
  return xdg && isAbsolute(xdg) ? join(xdg, 'p2p') : undefined;
}

// Two daemons of one user on two data directories must not share a socket: all but the default directory's
// get a name derived from their directory's path, which the CLI derives the same way from --data-dir.
function socketName(dataDir: string, env: NodeJS.ProcessEnv): string {
  if (isDefaultDataDir(dataDir, env)) return CONTROL_SOCKET_NAME;
  return `p2pd-${createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 12)}.sock`;
}

/**
 * The control socket of the daemon on `dataDir`: --socket/P2P_SOCKET; else the service's runtime directory
 * (systemd sets RUNTIME_DIRECTORY); else $XDG_RUNTIME_DIR/p2p/; else, with no runtime directory, the data
 * directory itself (mode 0700, so still private).
 */
export function daemonSocketPath(location: SocketLocation): string {
  const env = location.env ?? process.env;
  if (location.socket) return resolve(location.socket);
  const service = env.RUNTIME_DIRECTORY?.split(':')[0];
  if (service && isAbsolute(service)) return join(service, CONTROL_SOCKET_NAME);
  const runtime = runtimeDir(env);
  if (runtime) return join(runtime, socketName(location.dataDir, env));
  return join(resolve(location.dataDir), CONTROL_SOCKET_NAME);
}

/** What the CLI was told about the daemon it should talk to. */
export interface CliSocketHints {
  /** --socket or P2P_SOCKET. */
  socket?: string | undefined;
  /** --data-dir or P2P_DATA_DIR. */
  dataDir?: string | undefined;
  /** The CLI's environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * Where the CLI looks for the daemon, in order; it talks to the first that is a socket. An explicit socket is
 * the only candidate; a data directory gives its socket in the runtime directory, then the one inside it; with
 * neither, the user's own daemon comes first, then the system service's.
 */
export function socketCandidates(hints: CliSocketHints): string[] {
  const env = { ...(hints.env ?? process.env) };
  if (hints.socket) return [resolve(hints.socket)];
  // RUNTIME_DIRECTORY is the daemon's (set by systemd for the service), never a hint for a client.
  delete env.RUNTIME_DIRECTORY;
  const dataDir = hints.dataDir || defaultDataDir(env);
  const list = [daemonSocketPath({ dataDir, env }), join(resolve(dataDir), CONTROL_SOCKET_NAME)];
  if (!hints.dataDir) list.push(SERVICE_SOCKET_PATH);
  return [...new Set(list)];
}
