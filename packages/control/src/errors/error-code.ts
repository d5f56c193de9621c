import { controlCodecs } from '../codec/index.js';

/**
 * Why a control call failed: the closed list of proto/p2p/control/v1/control.proto's ErrorCode, by name without
 * its ERROR_CODE_ prefix (the string that also travels in ControlError.code).
 */
export type ControlErrorCode =
  | 'BAD_REQUEST' | 'BUSY' | 'PEER_NOT_FOUND' | 'PING_TIMEOUT' | 'NOT_STARTED' | 'INTERNAL' | 'DIAL_FAILED'
  | 'IDENTITY_MISMATCH' | 'SESSION_CLOSED' | 'TOO_LARGE' | 'IDLE' | 'AMBIGUOUS_PEER'
  | 'FILE_NOT_FOUND' | 'TRANSFER_FAILED' | 'NO_SPACE' | 'SHARE_FAILED';

const ENUM = controlCodecs.ErrorCode;

/** Each code and its number in the proto enum: one entry per enum value but UNSPECIFIED, checked by a test. */
export const CONTROL_ERROR_CODES: Readonly<Record<ControlErrorCode, number>> = {
  BAD_REQUEST: ENUM.ERROR_CODE_BAD_REQUEST,
  BUSY: ENUM.ERROR_CODE_BUSY,
  PEER_NOT_FOUND: ENUM.ERROR_CODE_PEER_NOT_FOUND,
  PING_TIMEOUT: ENUM.ERROR_CODE_PING_TIMEOUT,
  NOT_STARTED: ENUM.ERROR_CODE_NOT_STARTED,
  INTERNAL: ENUM.ERROR_CODE_INTERNAL,
  DIAL_FAILED: ENUM.ERROR_CODE_DIAL_FAILED,
  IDENTITY_MISMATCH: ENUM.ERROR_CODE_IDENTITY_MISMATCH,
  SESSION_CLOSED: ENUM.ERROR_CODE_SESSION_CLOSED,
  TOO_LARGE: ENUM.ERROR_CODE_TOO_LARGE,
  IDLE: ENUM.ERROR_CODE_IDLE,
  AMBIGUOUS_PEER: ENUM.ERROR_CODE_AMBIGUOUS_PEER,
  FILE_NOT_FOUND: ENUM.ERROR_CODE_FILE_NOT_FOUND,
  TRANSFER_FAILED: ENUM.ERROR_CODE_TRANSFER_FAILED,
  NO_SPACE: ENUM.ERROR_CODE_NO_SPACE,
  SHARE_FAILED: ENUM.ERROR_CODE_SHARE_FAILED,
};

const BY_NUMBER = new Map<number, ControlErrorCode>(
  Object.entries(CONTROL_ERROR_CODES).map(([name, n]) => [n, name as ControlErrorCode]),
);

/** True when `value` is one of the codes. */
export function isControlErrorCode(value: unknown): value is ControlErrorCode {
  return typeof value === 'string' && Object.hasOwn(CONTROL_ERROR_CODES, value);
}

/** The wire form of a failure: the string code and the enum beside it, always in step. */
export function controlErrorMessage(code: ControlErrorCode, message: string): { code: string; message: string; codeEnum: number } {
  return { code, message, codeEnum: CONTROL_ERROR_CODES[code] };
}

/**
 * The code of a received ControlError: the enum when the daemon set it, else the string (daemons older than
 * the enum), else INTERNAL for a code this client does not know.
 */
export function codeOfControlError(error: { code?: string | null; codeEnum?: number | null }): ControlErrorCode {
  const byEnum = error.codeEnum ? BY_NUMBER.get(error.codeEnum) : undefined;
  if (byEnum) return byEnum;
  return isControlErrorCode(error.code) ? error.code : 'INTERNAL';
}
