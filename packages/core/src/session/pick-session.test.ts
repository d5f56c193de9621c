import { describe, expect, it } from 'vitest';
import { pickSession } from './pick-session.js';

const A = 'a'.repeat(52);
const B = 'b'.repeat(52);
const out = { direction: 'outbound' as const, instanceId: '01' };
const inb = { direction: 'inbound' as const, instanceId: '01' };

describe('pickSession', () => {
  it('makes both ends keep the connection dialled by the smaller peer ID', () => {
    // A's view: its outbound (A dialled) vs inbound (B dialled). B's view is the mirror image.
    const keptByA = pickSession(A, B, out, inb) === 'existing' ? 'A-dialled' : 'B-dialled';
    const keptByB = pickSession(B, A, out, inb) === 'existing' ? 'B-dialled' : 'A-dialled';
    expect(keptByA).toBe('A-dialled');
    expect(keptByB).toBe('A-dialled');
    // Whatever order the two connections opened in.
    expect(pickSession(A, B, inb, out)).toBe('candidate');
    expect(pickSession(B, A, inb, out)).toBe('existing');
  });

  it('prefers a restarted peer and, from the same dialler, the newer connection', () => {
    expect(pickSession(A, B, out, { ...inb, instanceId: '02' })).toBe('candidate');
    expect(pickSession(A, B, out, out)).toBe('candidate');
  });
});
