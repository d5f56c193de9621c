/**
 * Every error p2p-cli raises on purpose: one class per condition, each with a stable `code`.
 * Only the bin entry (bin/p2p-cli.ts) turns them into messages and exit codes.
 */

/** Base class of every typed error raised by @p2p/cli. */
export class CliError extends Error {
  /** Stable, machine-readable identifier of the condition. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Nothing listens on the daemon's control socket. */
export class NoDaemonError extends CliError {
  /** The socket looked for. */
  readonly socketPath: string;
  constructor(socketPath: string) {
    super('ERR_NO_DAEMON', `no daemon at ${socketPath}: start it with \`p2pd\``);
    this.socketPath = socketPath;
  }
}

/** The socket exists but this user may not use it (it belongs to another user: mode 0600). */
export class SocketAccessError extends CliError {
  constructor(socketPath: string, detail: string) {
    super('ERR_SOCKET_ACCESS', `cannot use the daemon at ${socketPath}: ${detail}`);
  }
}

/** The daemon answered a call with a ControlError. */
export class DaemonRefusedError extends CliError {
  /** The daemon's error code (BAD_REQUEST, BUSY, ...). */
  readonly daemonCode: string;
  constructor(daemonCode: string, message: string) {
    super('ERR_DAEMON_REFUSED', message);
    this.daemonCode = daemonCode;
  }
}

/** The daemon knows no peer by the name or ID given. */
export class UnknownPeerError extends CliError {
  constructor(message: string) {
    super('ERR_UNKNOWN_PEER', message);
  }
}

/** The name given could be several peers: the daemon listed the candidates. */
export class AmbiguousPeerError extends CliError {
  constructor(message: string) {
    super('ERR_AMBIGUOUS_PEER', message);
  }
}

/** A direct message was sent but not acknowledged (unreachable, timeout, too many hops). */
export class NotDeliveredError extends CliError {
  /** The daemon's delivery status. */
  readonly status: string;
  constructor(to: string, status: string) {
    super('ERR_NOT_DELIVERED', `not delivered to ${to}: ${status}`);
    this.status = status;
  }
}

/** The connection to the daemon broke or carried something that is not a control response. */
export class ControlConnectionError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ERR_CONTROL_CONNECTION', message, options);
  }
}

/** Command-line usage the parser refuses. */
export class UsageError extends CliError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}
