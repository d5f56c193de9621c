import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { peerIdToString } from '@p2p/core';
import { ConfigFileError, UnknownConfigKeyError } from '../errors.js';
import { loadConfig } from './load-config.js';
import { toNodeConfig } from './node-config.js';
import { InvalidConfigValueError } from '../errors.js';

async function configFile(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'p2pd-config-'));
  const path = join(dir, 'p2pd.json');
  await writeFile(path, content);
  return path;
}

describe('loadConfig', () => {
  it('applies file, then environment, then flags', async () => {
    const path = await configFile(JSON.stringify({ name: 'file', listen: '127.0.0.1:1', 'log-level': 'debug', seeds: ['127.0.0.1:9'], dataDir: 'data' }));
    const { config } = await loadConfig({
      flags: { config: path, listen: '127.0.0.1:3' },
      env: { P2P_NAME: 'env', P2P_LISTEN: '127.0.0.1:2', P2P_LAN: 'false' },
      cwd: '/somewhere',
    });
    expect(config.name).toBe('env');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 3 });
    expect(config.logLevel).toBe('debug');
    expect(config.lan).toBe(false);
    expect(config.seeds).toEqual([{ host: '127.0.0.1', port: 9 }]);
    // A relative path in the file is relative to the file, not to the working directory.
    expect(config.dataDir).toBe(join(path, '..', 'data'));
  });

  it('passes the broadcast flood limits to the node, from flags, variables or the file', async () => {
    const path = await configFile(JSON.stringify({ broadcastBurst: 120 }));
    const { config } = await loadConfig({ flags: { config: path, 'broadcast-rate': '20' }, env: { P2P_PENALTY_SECONDS: '5' }, cwd: '/' });
    const silent = { debug() {}, info() {}, warn() {}, error() {} };
    expect(toNodeConfig(config, silent).limits).toEqual({ broadcastsPerSecond: 20, broadcastBurst: 120, penaltyMs: 5000 });
    await expect(loadConfig({ flags: { 'broadcast-rate': '0' }, env: {}, cwd: '/' })).rejects.toBeInstanceOf(InvalidConfigValueError);
    expect(toNodeConfig((await loadConfig({ flags: {}, env: {}, cwd: '/' })).config, silent).limits).toBeUndefined();
  });

  it('takes repeated --seed flags and comma-separated P2P_SEEDS', async () => {
    const fromFlags = await loadConfig({ flags: { seed: ['127.0.0.1:1', '127.0.0.1:2'] }, env: {}, cwd: '/' });
    expect(fromFlags.config.seeds).toHaveLength(2);
    const fromEnv = await loadConfig({ flags: {}, env: { P2P_SEEDS: '127.0.0.1:1, 127.0.0.1:2' }, cwd: '/' });
    expect(fromEnv.config.seeds).toHaveLength(2);
  });

  it('defaults the data directory under XDG_DATA_HOME', async () => {
    const { config } = await loadConfig({ flags: {}, env: { XDG_DATA_HOME: '/xdg' }, cwd: '/' });
    expect(config.dataDir).toBe('/xdg/p2p');
    expect(config.role).toBe('peer');
  });

  it('refuses an unknown key, a bad file and a bad value, naming each', async () => {
    await expect(loadConfig({ flags: { config: await configFile('{"lisen": "x"}') }, env: {}, cwd: '/' })).rejects.toThrow(UnknownConfigKeyError);
    await expect(loadConfig({ flags: { config: await configFile('{nope') }, env: {}, cwd: '/' })).rejects.toThrow(ConfigFileError);
    await expect(loadConfig({ flags: { config: '/does/not/exist.json' }, env: {}, cwd: '/' })).rejects.toThrow(/no such file/);
    await expect(loadConfig({ flags: {}, env: { P2P_LISTEN: 'nowhere' }, cwd: '/' })).rejects.toThrow(/^P2P_LISTEN: /);
  });

  it('accepts the original design\'s aliases ipv4, port, mask and peerid in the file', async () => {
    const peerId = peerIdToString(new Uint8Array(32).fill(7));
    const path = await configFile(JSON.stringify({ ipv4: '127.0.0.1', port: 7000, mask: '255.0.0.0', peerid: peerId }));
    const { config } = await loadConfig({ flags: { config: path }, env: {}, cwd: '/' });
    expect(config).toMatchObject({ listen: { host: '127.0.0.1', port: 7000 }, interface: '127.0.0.1', mask: '255.0.0.0', expectedPeerId: peerId });
    const named = await loadConfig({ flags: { config: await configFile('{"peerid": "alice", "listen": "127.0.0.1:1", "ipv4": "127.0.0.1"}') }, env: {}, cwd: '/' });
    expect(named.config).toMatchObject({ name: 'alice', listen: { host: '127.0.0.1', port: 1 } });
    await expect(loadConfig({ flags: { config: await configFile('{"ipv4": "nope"}') }, env: {}, cwd: '/' })).rejects.toThrow(/^ipv4 in .*: expected an IPv4 address/);
  });

  it('warns about unknown P2P_ variables without refusing', async () => {
    const { warnings } = await loadConfig({ flags: {}, env: { P2P_LISTNE: '1' }, cwd: '/' });
    expect(warnings).toEqual(['ignoring unknown environment variable P2P_LISTNE']);
  });
});
