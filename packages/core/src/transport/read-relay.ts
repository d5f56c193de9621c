import net from 'node:net';

// One buffer for every relayed socket of the process: a reader runs synchronously and copies what it keeps, so the
// buffer is free again before the next read of any socket. TLS hands over at most one record (16 KiB) per read.
const SHARED = Buffer.allocUnsafeSlow(64 * 1024);
// Bytes that may arrive before the reader is attached (a Hello and a little more); a peer that sends more than
// this before we have even started the session is not one to wait for.
const MAX_EARLY_BYTES = 256 * 1024;

/** Reads a socket into one reused buffer (Node's `onread`) and hands each chunk to a reader attached later. */
export interface ReadRelay {
  /** The `onread` option of the socket to create. */
  readonly onread: { buffer: Uint8Array; callback: (bytes: number, buffer: Uint8Array) => boolean };
  /** Attaches the reader: from the next tick, first the bytes that came early (copied), then each chunk as it is read. */
  readInto(reader: (chunk: Uint8Array) => void): void;
}

/** A relay for one socket; `destroy` is called when a peer sends too much before the reader is attached. */
export function createReadRelay(destroy: () => void): ReadRelay {
  let reader: ((chunk: Uint8Array) => void) | undefined;
  let early: Uint8Array[] = [];
  let earlyBytes = 0;
  const keep = (chunk: Uint8Array): boolean => {
    earlyBytes += chunk.length;
    if (earlyBytes > MAX_EARLY_BYTES) {
      early = [];
      destroy();
      return false;
    }
    early.push(Uint8Array.prototype.slice.call(chunk));
    return true;
  };
  return {
    onread: {
      buffer: SHARED,
      callback: (bytes, buffer) => {
        const chunk = buffer.subarray(0, bytes);
        if (!reader) return keep(chunk);
        reader(chunk);
        return true;
      },
    },
    readInto(r) {
      // The early bytes follow on the next tick, as `data` events would: a reader attached in a constructor must not
      // see a whole Hello (and open, or close) before the constructor has returned.
      process.nextTick(() => {
        while (early.length > 0) {
          const pending = early;
          early = [];
          for (const chunk of pending) r(chunk);
        }
        reader = r;
      });
    },
  };
}

// Node 20 honours `onread` only for a socket it creates itself (tls.connect without `socket`), never for one a server
// accepts. An accepted socket gets the same two fields the option would have set, found by their names on a socket
// made with the option; where they are not found (another Node), the socket keeps its `data` events.
const onreadFields = ((): { buffer: symbol; callback: symbol } | undefined => {
  // `onread` is a documented net.Socket option that @types/node leaves out of the constructor's options.
  const options: net.SocketConstructorOpts & { onread: ReadRelay['onread'] } = { onread: { buffer: Buffer.alloc(1), callback: () => true } };
  const probe = new net.Socket(options);
  const own = Object.getOwnPropertySymbols(probe);
  probe.destroy();
  const buffer = own.find((s) => s.description === 'kBuffer');
  const callback = own.find((s) => s.description === 'kBufferCb');
  return buffer && callback ? { buffer, callback } : undefined;
})();

/**
 * Moves an accepted socket's reads to a relay: what it had buffered comes first, then each read lands in the shared
 * buffer. Undefined (nothing changed) where this Node offers no way to do it.
 */
export function relayAccepted(socket: net.Socket): ReadRelay | undefined {
  const handle = (socket as unknown as { _handle?: { useUserBuffer?: (b: Uint8Array) => void } })._handle;
  if (!onreadFields || typeof handle?.useUserBuffer !== 'function' || socket.listenerCount('data') > 0) return undefined;
  const relay = createReadRelay(() => socket.destroy());
  let chunk: Buffer | null;
  while ((chunk = socket.read() as Buffer | null) !== null) relay.onread.callback(chunk.length, chunk);
  const fields = socket as unknown as Record<symbol, unknown>;
  fields[onreadFields.buffer] = relay.onread.buffer;
  fields[onreadFields.callback] = relay.onread.callback;
  handle.useUserBuffer(relay.onread.buffer);
  return relay;
}
