import { describe, expect, it } from 'vitest';
import { closeVerdict } from './close-policy.js';

describe('closeVerdict', () => {
  it('treats a peer that said goodbye as alive', () => {
    expect(closeVerdict('goodbye:REBALANCE (above target degree)')).toMatchObject({ holdOffMs: 10_000, suspect: false, deadMs: 0 });
    expect(closeVerdict('goodbye:TOO_MANY_PEERS')).toMatchObject({ holdOffMs: 10_000, suspect: false });
    expect(closeVerdict('goodbye:UNSPECIFIED (closed by the user)')).toMatchObject({ holdOffMs: 5_000, suspect: false });
    expect(closeVerdict('goodbye:DUPLICATE_SESSION')).toMatchObject({ suspect: false, deadMs: 0 });
    expect(closeVerdict('goodbye:SHUTDOWN (node shutting down)')).toMatchObject({ deadMs: 5_000, forgetRegistration: true, suspect: false });
  });
  it('suspects a connection that dropped without a word, and nothing else', () => {
    expect(closeVerdict('socket-closed')).toMatchObject({ suspect: true, deadMs: 3_000 });
    expect(closeVerdict('socket-error: ECONNRESET')).toMatchObject({ suspect: true });
    expect(closeVerdict('local:REBALANCE (above target degree)')).toMatchObject({ suspect: false, holdOffMs: 0, deadMs: 0 });
    expect(closeVerdict('dead: missed 3 pings')).toMatchObject({ suspect: false });
  });
});
