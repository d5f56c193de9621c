import { describe, expect, it } from 'vitest';
import { resolvePeer } from './peer-view.js';
import type { PeerSnapshot } from './types.js';

const row = (id: string, name: string, state: PeerSnapshot['state'] = 'known'): PeerSnapshot =>
  ({ peerId: id, name, state, address: { host: 'h', port: 1 }, role: 'peer', load: 0 });

describe('resolvePeer', () => {
  const peers = [row('abcd'.repeat(13), 'alice', 'connected'), row('abce'.repeat(13), 'bob'), row('zzzz'.repeat(13), 'bob', 'connected'), row('yyyy'.repeat(13), 'carol'), row('xxxx'.repeat(13), 'carol')];
  it('takes exact IDs, unique prefixes and unique names', () => {
    expect(resolvePeer('abcd'.repeat(13), peers)).toBe('abcd'.repeat(13));
    expect(resolvePeer('ABCDABCD', peers)).toBe('abcd'.repeat(13));
    expect(resolvePeer('abc', peers)).toBeUndefined();
    expect(resolvePeer('alice', peers)).toBe('abcd'.repeat(13));
  });
  it('prefers the connected one of two with the same name, and refuses real ambiguity', () => {
    expect(resolvePeer('bob', peers)).toBe('zzzz'.repeat(13));
    expect(resolvePeer('carol', peers)).toBeUndefined();
    expect(resolvePeer('dave', peers)).toBeUndefined();
  });
});
