import { describe, expect, it } from 'vitest';
import { createKeyLog } from './key-log.js';

describe('NSS key log', () => {
  it('indexes secrets by client random and skips comments and junk', () => {
    const random = 'ab'.repeat(32);
    const log = createKeyLog([
      '# comment',
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} ${'01'.repeat(32)}`,
      `SERVER_TRAFFIC_SECRET_0 ${random.toUpperCase()} ${'02'.repeat(48)}`,
      'garbage line',
      `CLIENT_RANDOM tooshort ${'03'.repeat(48)}`,
    ].join('\r\n'));
    expect(log.size).toBe(1);
    const secrets = log.lookup(random)!;
    expect(secrets.get('CLIENT_HANDSHAKE_TRAFFIC_SECRET')!.toString('hex')).toBe('01'.repeat(32));
    expect(secrets.get('SERVER_TRAFFIC_SECRET_0')!.length).toBe(48);
    expect(log.lookup('cd'.repeat(32))).toBeUndefined();
  });
});
