/**
 * The errors p2p-cli raises itself, one class per condition, each extending core's P2PError with a stable code.
 * The daemon's refusals arrive as the typed errors of @p2p/control's table (PeerNotFoundError, DaemonBusyError,
 * ...), and a missing daemon as its NoDaemonError. Only the bin entry turns errors into messages and exit codes.
 */
import { P2PError } from '@p2p/core';

/** Command-line usage the parser refuses: the one class p2pd and p2p-cli share. */
export { UsageError } from '@p2p/control';

/** Delivery statuses in words. */
const STATUS_WORDS: Record<string, string> = {
  'inbox-full': 'inbox full',
  'not-stored': 'the recipient could not store it (disk full?)',
  'too-many-hops': 'too many hops',
};

/** A direct message was not acknowledged as delivered (unreachable, timeout, inbox full...). */
export class NotDeliveredError extends P2PError {
  /** The daemon's delivery status. */
  readonly status: string;
  constructor(to: string, status: string) {
    super('ERR_NOT_DELIVERED', `not delivered to ${to}: ${STATUS_WORDS[status] ?? status}`);
    this.status = status;
  }
}

/** A download ended without a complete, verified file (the partial file is kept: `downloads --resume`). */
export class DownloadFailedError extends P2PError {
  /** The daemon's control code for the failure (TRANSFER_FAILED, NO_SPACE, ...). */
  readonly controlCode: string;
  constructor(reason: string, controlCode: string) {
    super('ERR_TRANSFER_FAILED', `download failed: ${reason}`);
    this.controlCode = controlCode;
  }
}
