/** Typed errors of the lab: one class per condition, each with a stable `code`. */
import { P2PError } from '@p2p/core';

/** The lab cannot create network namespaces here (not root, or no iproute2). */
export class LabNotPermittedError extends P2PError {
  constructor(reason: string) {
    super('ERR_LAB_NOT_PERMITTED', `the network lab needs root and iproute2 (ip netns): ${reason}`);
  }
}

/** A command the lab ran (ip, tc) failed. */
export class LabCommandError extends P2PError {
  /** The command line that failed. */
  readonly command: string;
  constructor(command: string, detail: string) {
    super('ERR_LAB_COMMAND', `${command}: ${detail.trim()}`);
    this.command = command;
  }
}

/** A daemon in the lab did not become ready, or exited when it should not have. */
export class LabDaemonError extends P2PError {
  constructor(message: string) {
    super('ERR_LAB_DAEMON', message);
  }
}

/** A condition the lab waited for did not come true in time. */
export class LabTimeoutError extends P2PError {
  constructor(what: string, ms: number) {
    super('ERR_LAB_TIMEOUT', `timed out after ${ms} ms waiting for ${what}`);
  }
}

/** A bad argument to the lab (host count, scenario name). */
export class LabUsageError extends P2PError {
  constructor(message: string) {
    super('ERR_LAB_USAGE', message);
  }
}
