/** Version of the daemon package. */
export const DAEMON_VERSION = '0.1.0';
