import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { normalizeConfig } from './config.js';

describe('normalizeConfig', () => {
  it('fills defaults', () => {
    const c = normalizeConfig({ dataDir: '/tmp/x' });
    expect(c.listen).toEqual({ host: '0.0.0.0', port: 7070 });
    expect(c.lan.port).toBe(7071);
    expect(c.lan.multicastGroup).toBe('239.192.112.112');
    expect(c.mesh.targetDegree).toBe(8);
    expect(c.mesh.maxInbound).toBe(37);
    expect(c.mesh.pingIntervalMs).toBe(750);
  });

  it('accepts the aliases of the original design', () => {
    const id = 'a'.repeat(52);
    const c = normalizeConfig({ dataDir: 'd', ipv4: '127.0.0.5', port: 9000, mask: '255.0.0.0', peerid: id });
    expect(c.listen).toEqual({ host: '127.0.0.5', port: 9000 });
    expect(c.lan.interface).toBe('127.0.0.5');
    expect(c.lan.mask).toBe('255.0.0.0');
    expect(c.expectedPeerId).toBe(id);
    expect(normalizeConfig({ dataDir: 'd', peerid: 7 }).name).toBe('7');
  });

  it('names the key at fault', () => {
    const bad = (raw: object, key: string): void => {
      try {
        normalizeConfig(raw);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).key).toBe(key);
      }
    };
    bad({ dataDir: 'd', colour: 'red' }, 'colour');
    bad({ dataDir: 'd', port: 70000 }, 'port');
    bad({ dataDir: 'd', mask: '255.0.255.0' }, 'mask');
    bad({ dataDir: 'd', ipv4: 'localhost' }, 'ipv4');
    bad({ dataDir: 'd', mesh: { targetDegree: 0 } }, 'mesh.targetDegree');
    bad({ dataDir: 'd', mesh: { fanout: 3 } }, 'mesh.fanout');
    bad({ dataDir: 'd', seeds: ['nohost'] }, 'seeds[0]');
    bad({ dataDir: 'd', role: 'king' }, 'role');
    bad({}, 'dataDir');
  });

  it('parses seeds as host:port or objects', () => {
    const c = normalizeConfig({ dataDir: 'd', seeds: ['127.0.0.1:7070', { host: '127.0.0.2', port: 7071 }] });
    expect(c.seeds).toEqual([{ host: '127.0.0.1', port: 7070 }, { host: '127.0.0.2', port: 7071 }]);
  });
});
