import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The default data directory of p2pd and p2p-cli: $XDG_DATA_HOME/p2p, or ~/.local/share/p2p. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_DATA_HOME;
  return xdg && xdg.startsWith('/') ? join(xdg, 'p2p') : join(homedir(), '.local', 'share', 'p2p');
}

/** True when `dataDir` is the default one (the one a bare `p2pd` uses). */
export function isDefaultDataDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  return resolve(dataDir) === resolve(defaultDataDir(env));
}
