// One buffer for every relayed socket of the process: a reader runs synchronously and copies what it keeps, so the
// buffer is free again before the next read of any socket. TLS hands over at most one record (16 KiB) per read.
const SHARED = Buffer.allocUnsafeSlow(64 * 1024);
// Bytes that may arrive before the reader is attached (a Hello and a little more); a peer that sends more than
// this before we have even started the session is not one to wait for.
const MAX_EARLY_BYTES = 1024 * 1024;

/** Reads a socket into one reused buffer (Node's `onread`) and hands each chunk to a reader attached later. */
export interface ReadRelay {
  /** The `onread` option of the socket to create. */
  readonly onread: { buffer: Uint8Array; callback: (bytes: number, buffer: Uint8Array) => boolean };
  /** Attaches the reader: first the bytes that came early (copied), then each chunk as it is read. */
  readInto(reader: (chunk: Uint8Array) => void): void;
}

/** A relay for one socket; `destroy` is called when a peer sends too much before the reader is attached. */
export function createReadRelay(destroy: () => void): ReadRelay {
  let reader: ((chunk: Uint8Array) => void) | undefined;
  let early: Uint8Array[] = [];
  let earlyBytes = 0;
  return {
    onread: {
      buffer: SHARED,
      callback: (bytes, buffer) => {
        const chunk = buffer.subarray(0, bytes);
        if (reader) {
          reader(chunk);
          return true;
        }
        earlyBytes += bytes;
        if (earlyBytes > MAX_EARLY_BYTES) {
          early = [];
          destroy();
          return false;
        }
        early.push(Uint8Array.prototype.slice.call(chunk));
        return true;
      },
    },
    readInto(r) {
      reader = r;
      const pending = early;
      early = [];
      for (const chunk of pending) r(chunk);
    },
  };
}

