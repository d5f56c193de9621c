import { describe, expect, it } from 'vitest';
import { createReadRelay } from './read-relay.js';

/** Plays the socket: writes `bytes` into the relay's buffer and calls its callback, as Node's onread does. */
function deliver(relay: ReturnType<typeof createReadRelay>, bytes: Uint8Array): boolean {
  relay.onread.buffer.set(bytes);
  const more = relay.onread.callback(bytes.length, relay.onread.buffer);
  relay.onread.buffer.fill(0xee, 0, bytes.length);
  return more;
}

describe('createReadRelay', () => {
  it('keeps copies of the bytes that come before the reader, then hands over each chunk in order', async () => {
    let destroyed = false;
    const relay = createReadRelay(() => { destroyed = true; });
    expect(deliver(relay, Buffer.from('hel'))).toBe(true);
    expect(deliver(relay, Buffer.from('lo '))).toBe(true);
    const got: string[] = [];
    relay.readInto((chunk) => got.push(Buffer.from(chunk).toString()));
    // Nothing reaches the reader while it is being attached (a session's constructor): only from the next tick.
    expect(got).toEqual([]);
    deliver(relay, Buffer.from('wor'));
    await new Promise((r) => process.nextTick(r));
    deliver(relay, Buffer.from('ld'));
    expect(got).toEqual(['hel', 'lo ', 'wor', 'ld']);
    expect(destroyed).toBe(false);
  });

  it('lends later chunks for the call only: the buffer is the shared one', async () => {
    const relay = createReadRelay(() => undefined);
    let lent: Uint8Array | undefined;
    relay.readInto((chunk) => { lent = chunk; });
    await new Promise((r) => process.nextTick(r));
    deliver(relay, Buffer.from('abc'));
    expect(lent!.buffer).toBe(relay.onread.buffer.buffer);
  });

  it('gives up on a peer that sends more than 256 KiB before the reader is attached', async () => {
    let destroyed = 0;
    const relay = createReadRelay(() => { destroyed++; });
    const chunk = new Uint8Array(16 * 1024);
    let more = true;
    for (let i = 0; i < 100 && more; i++) more = deliver(relay, chunk);
    expect(more).toBe(false);
    expect(destroyed).toBe(1);
    const got: Uint8Array[] = [];
    relay.readInto((c) => got.push(c));
    await new Promise((r) => process.nextTick(r));
    expect(got).toEqual([]);
  });
});
