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

  it('leaves the original design\'s aliases to the daemon: core refuses them as unknown keys', () => {
    for (const key of ['ipv4', 'port', 'mask', 'peerid']) {
      expect(() => normalizeConfig({ dataDir: 'd', [key]: '1' })).toThrow(ConfigError);
    }
  });

  it('refuses the addresses the daemon refuses, with the same rules', () => {
    expect(normalizeConfig({ dataDir: 'd', seeds: ['[::1]:7070'] }).seeds).toEqual([{ host: '::1', port: 7070 }]);
    expect(() => normalizeConfig({ dataDir: 'd', seeds: ['::1:7070'] })).toThrow(ConfigError);
    expect(() => normalizeConfig({ dataDir: 'd', seeds: ['a b:1'] })).toThrow(ConfigError);
    expect(() => normalizeConfig({ dataDir: 'd', listen: { host: 'no such host!', port: 1 } })).toThrow(ConfigError);
    expect(normalizeConfig({ dataDir: 'd', lan: { mask: '24' } }).lan.mask).toBe('255.255.255.0');
    expect(() => normalizeConfig({ dataDir: 'd', lan: { mask: '255.0.255.0' } })).toThrow(ConfigError);
    expect(() => normalizeConfig({ dataDir: 'd', expectedPeerId: 'b'.repeat(52) })).toThrow(ConfigError);
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
    bad({ dataDir: 'd', listen: { port: 70000 } }, 'listen.port');
    bad({ dataDir: 'd', lan: { mask: '255.0.255.0' } }, 'lan.mask');
    bad({ dataDir: 'd', lan: { interface: 'localhost' } }, 'lan.interface');
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
