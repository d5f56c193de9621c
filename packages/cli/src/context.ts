import { connectDaemon, SOCKET_ENV, type ControlClient } from '@p2p/control';

/** Options every command accepts. */
export interface GlobalArgs {
  /** The daemon's data directory (its socket is derived from it). */
  'data-dir'?: string;
  /** The daemon's control socket, found automatically when absent. */
  socket?: string;
  /** Print machine-readable JSON. */
  json?: boolean;
}

/** Connects to the daemon the options (or P2P_SOCKET, P2P_DATA_DIR, or the defaults) point at. */
export function connectFor(args: GlobalArgs): Promise<ControlClient> {
  return connectDaemon({
    socket: args.socket || process.env[SOCKET_ENV] || undefined,
    dataDir: args['data-dir'] || process.env.P2P_DATA_DIR || undefined,
    env: process.env,
  });
}

/** Connects to the daemon, runs `fn`, and closes the connection whatever happens. */
export async function withClient<T>(args: GlobalArgs, fn: (client: ControlClient) => Promise<T>): Promise<T> {
  const client = await connectFor(args);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}
