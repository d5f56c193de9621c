import { P2PError } from '../errors.js';

/** A name that cannot be registered: empty, too long, or with control, format, space or reserved characters. */
export class InvalidCliqueNameError extends P2PError {
  constructor(name: string, why: string) {
    super('ERR_CLIQUE_INVALID_NAME', `invalid name ${JSON.stringify(name.slice(0, 64))}: ${why}`);
  }
}

/** Someone in the clique already holds the name, or a simultaneous claim elsewhere won it. */
export class CliqueNameTakenError extends P2PError {
  /** The name asked for. */
  readonly wanted: string;
  /** "taken", "lost", "invalid", "server-full" or "busy", as the server said. */
  readonly reason: string;
  constructor(name: string, reason: string, detail = '') {
    super('ERR_CLIQUE_NAME_TAKEN', `name ${JSON.stringify(name)} refused (${reason || 'taken'})${detail ? `: ${detail}` : ''}`);
    this.wanted = name;
    this.reason = reason || 'taken';
  }
}

/** A line to a name nobody holds in the clique. */
export class NoSuchClientError extends P2PError {
  constructor(name: string) {
    super('ERR_CLIQUE_NO_SUCH_CLIENT', `no such client: ${name}`);
  }
}

/** No configured clique server could be reached (or all refused the client). */
export class CliqueUnreachableError extends P2PError {
  constructor(detail: string) {
    super('ERR_CLIQUE_UNREACHABLE', `no clique server reachable: ${detail}`);
  }
}

/** The client is not registered (yet, or any more) and cannot send. */
export class CliqueNotRegisteredError extends P2PError {
  constructor() {
    super('ERR_CLIQUE_NOT_REGISTERED', 'not registered with a clique server');
  }
}

/** A who-is-online answer lists more names than the caller agreed to gather. */
export class CliqueWhoTooLargeError extends P2PError {
  /** The cap that was passed. */
  readonly maxNames: number;
  /** Names online as the server counted them (0 when it did not say). */
  readonly total: number;
  constructor(maxNames: number, total: number) {
    super('ERR_CLIQUE_WHO_TOO_LARGE', `more than ${maxNames} names online${total ? ` (the server counts ${total})` : ''}: raise the cap to list them all`);
    this.maxNames = maxNames;
    this.total = total;
  }
}

/** A server's answer breaks the protocol (who-is-online pages that do not advance). */
export class CliqueBadAnswerError extends P2PError {
  constructor(detail: string) {
    super('ERR_CLIQUE_BAD_ANSWER', `bad answer from the clique server: ${detail}`);
  }
}
