import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.js';

describe('daemon logger', () => {
  it('neutralises control and format characters in messages and fields', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
    const captured = createLogger({ level: 'info', pretty: false, destination: sink });
    captured.info({ peerName: 'bob\x1b]0;pwned\x07', nested: { reason: 'x\u009b2J\u202e' } }, 'peer said \x1b[2J hi');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    expect(out).not.toMatch(/[\u001b\u0007\u009b\u202e]|\\u001b|\\u0007/);
    expect(out).toContain('\u241b]0;pwned\u2407');
  });
});
