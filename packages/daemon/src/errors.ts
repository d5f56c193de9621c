/**
 * Every error the daemon raises on purpose: one class per condition, each with a stable `code`.
 * Only the bin entry (bin/p2pd.ts) turns them into messages and exit codes.
 */
import { InboxFullError, P2PError } from '@p2p/core';

/** Base class of every typed error raised by @p2p/daemon. */
export class DaemonError extends P2PError {}

/** A configuration problem: the daemon refuses to start (exit code 2). Not core's ConfigError, which it wraps. */
export class DaemonConfigError extends DaemonError {}

/** A config file, flag or environment variable names an option the daemon does not have. */
export class UnknownConfigKeyError extends DaemonConfigError {
  /** The unknown key as the user wrote it. */
  readonly key: string;
  constructor(key: string, source: string) {
    super('ERR_CONFIG_UNKNOWN_KEY', `unknown option ${key} in ${source}`);
    this.key = key;
  }
}

/** An option has a value of the wrong shape: a bad address, port, role, mask or level. */
export class InvalidConfigValueError extends DaemonConfigError {
  /** The option, as the user wrote it. */
  readonly option: string;
  constructor(option: string, detail: string) {
    super('ERR_CONFIG_INVALID_VALUE', `${option}: ${detail}`);
    this.option = option;
  }
}

/** The config file cannot be read or is not a JSON object. */
export class ConfigFileError extends DaemonConfigError {
  constructor(path: string, detail: string) {
    super('ERR_CONFIG_FILE', `config file ${path}: ${detail}`);
  }
}

/** The data directory cannot be created, read or written. */
export class DataDirError extends DaemonConfigError {
  constructor(path: string, detail: string) {
    super('ERR_DATA_DIR', `data directory ${path}: ${detail}`);
  }
}

/** The node library refused the configuration the daemon built (core's normalizeConfig). */
export class NodeConfigRejectedError extends DaemonConfigError {
  constructor(message: string) {
    super('ERR_CONFIG_REJECTED', message);
  }
}

/** Command-line usage the parser refuses: the one class p2pd and p2p-cli share. */
export { UsageError } from '@p2p/control';

/** Another daemon already answers on the control socket of this data directory. */
export class DaemonAlreadyRunningError extends DaemonError {
  constructor(socketPath: string) {
    super('ERR_ALREADY_RUNNING', `another p2pd is already running on ${socketPath}`);
  }
}

/** A socket of the daemon's own (control, metrics) cannot be bound; the node's listen address is core's ListenError. */
export class BindError extends DaemonError {
  constructor(what: string, address: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('ERR_BIND', `cannot listen for ${what} on ${address}: ${detail}`, { cause });
  }
}

/** The control socket's directory cannot be created or is not private to this user. */
export class SocketDirError extends DaemonError {
  constructor(path: string, detail: string) {
    super('ERR_SOCKET_DIR', `control socket directory ${path}: ${detail}`);
  }
}

/** The node failed to start for a reason of the system (a port in use, a missing interface...). */
export class NodeStartError extends DaemonError {
  constructor(cause: unknown) {
    super('ERR_NODE_START', `cannot start the node: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A received message could not be written to the inbox (disk failure, inbox closed, writes falling behind). */
export class InboxWriteError extends DaemonError {
  constructor(detail: string) {
    super('ERR_INBOX_WRITE', `inbox: ${detail}`);
  }
}

/**
 * The inbox refuses a received message for lack of room: its total quota, the author's share of it, the author's
 * rate, or the author's backlog of unwritten records. The author's send resolves 'inbox-full' (core maps the code).
 */
export class InboxQuotaError extends InboxFullError {
  /** Which limit was hit: total, sender-share, sender-rate or backlog. */
  readonly reason: string;
  constructor(reason: string, detail: string) {
    super(detail);
    this.reason = reason;
  }
}

/** Stored messages could not be pruned (the rewrite failed; the inbox is unchanged). */
export class InboxPruneError extends DaemonError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('ERR_INBOX_PRUNE', `inbox: cannot prune: ${detail}`, options);
  }
}
