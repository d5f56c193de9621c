import { describe, expect, it } from 'vitest';
import type { InspectedMessage } from '../decode/message.js';
import { createColors, endpointLabel, tableLine } from './format-table.js';

// Bytes a terminal could act on: C0 controls, DEL, C1 controls (CSI), bidi overrides, line separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const hostile = '\x1b]0;pwned\x07\x1b[2J\u009b31m\u202eevil\nline';

describe('p2p-inspect table output', () => {
  it('neutralises escape sequences in peer names and in every text field', () => {
    const m: InspectedMessage = {
      index: 0, timestamp: { seconds: 0, nanos: 0 } as never, time: '2025-11-22T00:00:00.000000000Z', packet: 1,
      src: { ip: '127.0.0.1', port: 7001, name: `mal${hostile}` }, dst: { ip: '127.0.0.1', port: 7002, name: 'bob' },
      transport: 'tcp', stream: 1, direction: 'forward' as never, type: 'broadcast',
      fields: { broadcast: { chat: { text: hostile, fromName: hostile } } }, size: 10, raw: new Uint8Array(0),
    };
    const line = tableLine(m, createColors(false));
    expect(UNSAFE.test(line), JSON.stringify(line)).toBe(false);
    expect(endpointLabel(m.src)).toContain('\u241b]0;pwned\u2407');
  });
});
