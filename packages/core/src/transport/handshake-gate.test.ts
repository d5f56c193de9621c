import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHandshakeGate } from './handshake-gate.js';

/** Just what the gate uses of a socket: its address, destroy, and a 'close' that comes a tick after. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  constructor(readonly remoteAddress: string, readonly remotePort: number) { super(); }
  destroy(): this {
    if (!this.destroyed) {
      this.destroyed = true;
      setImmediate(() => this.emit('close'));
    }
    return this;
  }
}
const sock = (address: string, port: number) => new FakeSocket(address, port) as unknown as net.Socket;
const tick = () => new Promise((r) => setImmediate(r));

describe('createHandshakeGate', () => {
  it('keeps a newer connection counted when an older one with the same address and port closes late', async () => {
    const g = createHandshakeGate({ max: 2 });
    const a = sock('10.0.0.1', 5000);
    g.admit(a);
    // The port is reused before the first connection's close was seen.
    const b = sock('10.0.0.1', 5000);
    g.admit(b);
    a.destroy();
    await tick();
    expect(g.size).toBe(1);
    // The gate still bounds what it holds: b is the oldest, and goes when two more come.
    g.admit(sock('10.0.0.2', 1));
    g.admit(sock('10.0.0.1', 2));
    expect(b.destroyed).toBe(true);
    await tick();
    expect(g.size).toBe(2);
  });

  it('keeps counting a connection that reused the port of one it evicted', async () => {
    const g = createHandshakeGate({ max: 1 });
    const a = sock('10.0.0.1', 5000);
    g.admit(a);
    g.admit(sock('10.0.0.1', 6000));
    expect(a.destroyed).toBe(true);
    const c = sock('10.0.0.1', 5000);
    g.admit(c);
    await tick();
    expect(g.size).toBe(1);
    expect(c.destroyed).toBe(false);
  });
});
