import { P2PError } from '../errors.js';

/** A name asked of a share is unsafe or does not lead to a regular file inside it (`..`, absolute, symlink out, device). */
export class UnsafePathError extends P2PError {
  constructor(readonly requested: string, reason: string) {
    super('ERR_UNSAFE_PATH', `refused '${requested.slice(0, 200)}': ${reason}`);
  }
}

/** No holder of the file was found, or the file is not (or no longer) shared. */
export class FileNotFoundError extends P2PError {
  constructor(what: string) {
    super('ERR_FILE_NOT_FOUND', `file not found: ${what}`);
  }
}

/** A holder's block-hash list does not match the root it announced. */
export class HashListMismatchError extends P2PError {
  constructor(readonly peerId: string) {
    super('ERR_HASH_LIST_MISMATCH', `the block-hash list from ${peerId} does not match the root`);
  }
}

/** A block did not match its hash: the source that sent it is dropped for this file. */
export class BadBlockError extends P2PError {
  constructor(readonly peerId: string, readonly index: number) {
    super('ERR_BAD_BLOCK', `block ${index} from ${peerId} does not match its hash`);
  }
}

/** The downloads directory has not enough free space for the file. */
export class InsufficientSpaceError extends P2PError {
  constructor(readonly needed: number, readonly available: number) {
    super('ERR_NO_SPACE', `not enough free space: ${needed} bytes needed, ${available} available`);
  }
}

/** Every source of a download failed or was dropped before the file was complete. */
export class TransferFailedError extends P2PError {
  constructor(reason: string) {
    super('ERR_TRANSFER_FAILED', `transfer failed: ${reason}`);
  }
}

/** The finished file's whole SHA-256 is not the announced one (the partial file is kept for inspection). */
export class FileHashMismatchError extends P2PError {
  constructor(readonly path: string) {
    super('ERR_FILE_HASH_MISMATCH', `the whole-file SHA-256 of ${path} is not the announced one`);
  }
}

/** A download was cancelled by the user. */
export class TransferCancelledError extends P2PError {
  constructor() {
    super('ERR_TRANSFER_CANCELLED', 'transfer cancelled');
  }
}

/** A share directory cannot be used (missing, not a directory, unreadable). */
export class ShareError extends P2PError {
  constructor(readonly dir: string, reason: string) {
    super('ERR_SHARE', `cannot share ${dir}: ${reason}`);
  }
}

/** A file could not be hashed: not a regular file, changed while hashing, or the hashing worker stopped. */
export class FileHashingError extends P2PError {
  constructor(detail: string) {
    super('ERR_FILE_HASHING', `cannot hash: ${detail}`);
  }
}

/** The stored share index is not in a format this version reads. */
export class ShareIndexFormatError extends P2PError {
  constructor(detail: string) {
    super('ERR_SHARE_INDEX_FORMAT', `share index: ${detail}`);
  }
}

/** Blocks handed to a partial file do not have the length their positions call for. */
export class BlockLengthError extends P2PError {
  constructor(detail: string) {
    super('ERR_BLOCK_LENGTH', detail);
  }
}
