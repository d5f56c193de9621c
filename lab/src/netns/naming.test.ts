import { describe, expect, it } from 'vitest';
import { bridgeNamespace, hostAddress, hostNamespace, labOwner } from './naming.js';

describe('lab names', () => {
  it('start with lab and the pid, and give the owner back', () => {
    expect(hostNamespace(3, 'lab42')).toBe('lab42h3');
    expect(labOwner(hostNamespace(3, 'lab42'))).toBe(42);
    expect(labOwner(bridgeNamespace('lab42'))).toBe(42);
  });

  it('never claim namespaces that are not a lab\'s', () => {
    for (const name of ['p2p123h1', 'labelled', 'lab12x', 'filestest', 'lab']) expect(labOwner(name)).toBeUndefined();
  });

  it('gives addresses in 10.77.0.0/16 only', () => {
    expect(hostAddress(1)).toBe('10.77.0.1');
    expect(hostAddress(300)).toBe('10.77.1.44');
    expect(() => hostAddress(0)).toThrow(RangeError);
  });
});
