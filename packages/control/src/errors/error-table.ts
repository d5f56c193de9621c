import {
  FileNotFoundError, InsufficientSpaceError, ShareError, TransferFailedError,
  DialError, IdentityMismatchError, MessageTooLargeError, NodeNotStartedError, P2PError, PeerNotFoundError, PingTimeoutError,
  SessionClosedError,
} from '@p2p/core';
import { AmbiguousPeerError, BadControlRequestError, ControlIdleError, DaemonBusyError, DaemonInternalError } from './control-errors.js';
import { controlErrorMessage, isControlErrorCode, type ControlErrorCode } from './error-code.js';

/** How one control code maps to the typed error both ends use for it. */
interface ErrorMapping {
  /** The P2PError code of the class that stands for this condition. */
  errorCode: string;
  /** Builds that class's error around a message received from the daemon. */
  rebuild(message: string): P2PError;
}

// Core's classes build their message from their arguments; a rebuilt one keeps the daemon's words instead.
function withMessage<E extends P2PError>(err: E, message: string): E {
  err.message = message;
  return err;
}

/** One entry per control code: the class standing for it on both ends of the socket. */
export const CONTROL_ERROR_TABLE: Readonly<Record<ControlErrorCode, ErrorMapping>> = {
  BAD_REQUEST: { errorCode: 'ERR_BAD_CONTROL_REQUEST', rebuild: (m) => new BadControlRequestError(m) },
  BUSY: { errorCode: 'ERR_DAEMON_BUSY', rebuild: (m) => new DaemonBusyError(m) },
  TOO_LARGE: { errorCode: 'ERR_MESSAGE_TOO_LARGE', rebuild: (m) => withMessage(new MessageTooLargeError(0, 0), m) },
  IDLE: { errorCode: 'ERR_CONTROL_IDLE', rebuild: (m) => new ControlIdleError(m) },
  INTERNAL: { errorCode: 'ERR_DAEMON_INTERNAL', rebuild: (m) => new DaemonInternalError(m) },
  PEER_NOT_FOUND: { errorCode: 'ERR_PEER_NOT_FOUND', rebuild: (m) => withMessage(new PeerNotFoundError(''), m) },
  PING_TIMEOUT: { errorCode: 'ERR_PING_TIMEOUT', rebuild: (m) => withMessage(new PingTimeoutError('', 0), m) },
  NOT_STARTED: { errorCode: 'ERR_NODE_NOT_STARTED', rebuild: (m) => withMessage(new NodeNotStartedError(), m) },
  DIAL_FAILED: { errorCode: 'ERR_DIAL', rebuild: (m) => withMessage(new DialError('', ''), m) },
  IDENTITY_MISMATCH: { errorCode: 'ERR_IDENTITY_MISMATCH', rebuild: (m) => withMessage(new IdentityMismatchError('', undefined), m) },
  SESSION_CLOSED: { errorCode: 'ERR_SESSION_CLOSED', rebuild: (m) => withMessage(new SessionClosedError(''), m) },
  AMBIGUOUS_PEER: { errorCode: 'ERR_AMBIGUOUS_PEER', rebuild: (m) => new AmbiguousPeerError(m) },
  FILE_NOT_FOUND: { errorCode: 'ERR_FILE_NOT_FOUND', rebuild: (m) => withMessage(new FileNotFoundError(''), m) },
  TRANSFER_FAILED: { errorCode: 'ERR_TRANSFER_FAILED', rebuild: (m) => withMessage(new TransferFailedError(''), m) },
  NO_SPACE: { errorCode: 'ERR_NO_SPACE', rebuild: (m) => withMessage(new InsufficientSpaceError(0, 0), m) },
  SHARE_FAILED: { errorCode: 'ERR_SHARE', rebuild: (m) => withMessage(new ShareError('', ''), m) },
};

/** Other typed errors a call may raise, reported under the nearest control code. */
const ALSO: Readonly<Record<string, ControlErrorCode>> = {
  ERR_INVALID_PAYLOAD: 'BAD_REQUEST',
  ERR_INVALID_PEER_ID: 'BAD_REQUEST',
  ERR_FRAME_TOO_LARGE: 'TOO_LARGE',
  // A broadcast past this node's own rate: "refused: rate limited".
  ERR_RATE_LIMITED: 'BUSY',
  ERR_HANDSHAKE_TIMEOUT: 'DIAL_FAILED',
  ERR_HASH_LIST_MISMATCH: 'TRANSFER_FAILED',
  ERR_BAD_BLOCK: 'TRANSFER_FAILED',
  ERR_FILE_HASH_MISMATCH: 'TRANSFER_FAILED',
  ERR_TRANSFER_CANCELLED: 'TRANSFER_FAILED',
  ERR_UNSAFE_PATH: 'BAD_REQUEST',
};

const BY_ERROR_CODE = new Map<string, ControlErrorCode>([
  ...Object.entries(CONTROL_ERROR_TABLE).map(([code, m]) => [m.errorCode, code as ControlErrorCode] as const),
  ...Object.entries(ALSO),
]);

/**
 * The control code for an error thrown while serving a call: an explicit `controlCode` property (how other
 * packages' error classes join in), else the table above by the error's stable code, else INTERNAL.
 */
export function controlCodeOf(err: unknown): ControlErrorCode {
  if (err instanceof P2PError) {
    const own = (err as { controlCode?: unknown }).controlCode;
    if (isControlErrorCode(own)) return own;
    return BY_ERROR_CODE.get(err.code) ?? 'INTERNAL';
  }
  return 'INTERNAL';
}

/** The ControlError to send for a thrown error (the message of an INTERNAL one is kept generic by the caller). */
export function toControlError(err: unknown): { code: string; message: string; codeEnum: number } {
  const code = controlCodeOf(err);
  return controlErrorMessage(code, err instanceof Error ? err.message : String(err));
}

/** The typed error a client throws for a ControlError it received. */
export function fromControlError(code: ControlErrorCode, message: string): P2PError {
  return CONTROL_ERROR_TABLE[code].rebuild(message || `the daemon refused the request (${code})`);
}
