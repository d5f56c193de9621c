import { homedir } from 'node:os';
import { join } from 'node:path';

/** Name of the control socket inside the data directory (the CLI looks for the same name). */
export const CONTROL_SOCKET_NAME = 'p2pd.sock';

/** The user's data directory for p2p: $XDG_DATA_HOME/p2p, or ~/.local/share/p2p. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg && xdg.startsWith('/') ? join(xdg, 'p2p') : join(homedir(), '.local', 'share', 'p2p');
}
