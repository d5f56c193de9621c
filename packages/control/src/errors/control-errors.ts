/**
 * The control protocol's own failure conditions, one class and one code each. The daemon throws them while
 * serving a call; the client rebuilds them from the ControlError it receives, so both ends share the class.
 */
import { P2PError } from '@p2p/core';

/** A request the daemon cannot serve as sent: malformed, no known call, a missing or empty field. */
export class BadControlRequestError extends P2PError {
  constructor(message: string) {
    super('ERR_BAD_CONTROL_REQUEST', message);
  }
}

/** A name several peers use, none of them a contact: the message lists the candidates (p2p-cli exits 6). */
export class AmbiguousPeerError extends P2PError {
  constructor(message: string) {
    super('ERR_AMBIGUOUS_PEER', message);
  }
}

/** The daemon serves as many clients, or this connection has as many calls open, as it allows. */
export class DaemonBusyError extends P2PError {
  constructor(message: string) {
    super('ERR_DAEMON_BUSY', message);
  }
}

/** The daemon closed the connection: idle too long, or its slot went to a new client. */
export class ControlIdleError extends P2PError {
  constructor(message: string) {
    super('ERR_CONTROL_IDLE', message);
  }
}

/** The daemon failed in a way it did not expect (its log has the details). */
export class DaemonInternalError extends P2PError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_DAEMON_INTERNAL', message, options);
  }
}

/** Nothing listens on the daemon's control socket. */
export class NoDaemonError extends P2PError {
  /** The socket looked for. */
  readonly socketPath: string;
  constructor(socketPath: string) {
    super('ERR_NO_DAEMON', `no daemon at ${socketPath}: start it with \`p2pd\``);
    this.socketPath = socketPath;
  }
}

/** The socket exists but this user may not use it (another user's, mode 0600; or not in the socket's group). */
export class SocketAccessError extends P2PError {
  constructor(socketPath: string, detail: string) {
    super('ERR_SOCKET_ACCESS', `cannot use the daemon at ${socketPath}: ${detail}`);
  }
}

/** The connection to the daemon broke, or carried something that is not a control response. */
export class ControlConnectionError extends P2PError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONTROL_CONNECTION', message, options);
  }
}

/** Command-line usage p2pd or p2p-cli refuses (unknown flag, missing value): exit code 2 for both. */
export class UsageError extends P2PError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}
