import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Name of the daemon's control socket inside its data directory (as p2pd creates it). */
export const CONTROL_SOCKET_NAME = 'p2pd.sock';

/** The daemon's default data directory: $XDG_DATA_HOME/p2p, or ~/.local/share/p2p (as p2pd picks it). */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg && xdg.startsWith('/') ? join(xdg, 'p2p') : join(homedir(), '.local', 'share', 'p2p');
}

/** The control socket of the daemon using `dataDir`. */
export function controlSocketPath(dataDir: string): string {
  return join(resolve(dataDir), CONTROL_SOCKET_NAME);
}
