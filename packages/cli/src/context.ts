import { connectControl, type ControlClient } from './client/index.js';
import { controlSocketPath, defaultDataDir } from './paths.js';

/** Options every command accepts. */
export interface GlobalArgs {
  /** The daemon's data directory (its control socket lives there). */
  'data-dir'?: string;
  /** Print machine-readable JSON. */
  json?: boolean;
}

/** The control socket the command talks to. */
export function socketPathOf(args: GlobalArgs): string {
  return controlSocketPath(args['data-dir'] || process.env.P2P_DATA_DIR || defaultDataDir());
}

/** Connects to the daemon, runs `fn`, and closes the connection whatever happens. */
export async function withClient<T>(args: GlobalArgs, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectControl(socketPathOf(args));
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
