import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultDataDir } from './data-dir.js';
import { daemonSocketPath, SERVICE_SOCKET_PATH, socketCandidates } from './socket-path.js';

describe('socket location', () => {
  const env = { HOME: '/home/u', XDG_DATA_HOME: '/home/u/.local/share', XDG_RUNTIME_DIR: '/run/user/1000' };

  it('puts the default data directory\'s socket in $XDG_RUNTIME_DIR/p2p/', () => {
    expect(defaultDataDir(env)).toBe('/home/u/.local/share/p2p');
    expect(daemonSocketPath({ dataDir: defaultDataDir(env), env })).toBe('/run/user/1000/p2p/p2pd.sock');
  });

  it('gives every other data directory its own socket, derived the same way by daemon and CLI', () => {
    const a = daemonSocketPath({ dataDir: '/tmp/alice', env });
    const b = daemonSocketPath({ dataDir: '/tmp/bob', env });
    expect(a).toMatch(/^\/run\/user\/1000\/p2p\/p2pd-[0-9a-f]{12}\.sock$/);
    expect(a).not.toBe(b);
    expect(socketCandidates({ dataDir: '/tmp/alice', env })).toEqual([a, '/tmp/alice/p2pd.sock']);
  });

  it('uses the service\'s RUNTIME_DIRECTORY, an explicit socket, or the data directory without a runtime directory', () => {
    expect(daemonSocketPath({ dataDir: '/var/lib/p2p', env: { RUNTIME_DIRECTORY: '/run/p2p' } })).toBe(SERVICE_SOCKET_PATH);
    expect(daemonSocketPath({ dataDir: '/var/lib/p2p', socket: '/srv/x.sock', env })).toBe('/srv/x.sock');
    expect(daemonSocketPath({ dataDir: '/tmp/alice', env: {} })).toBe(join('/tmp/alice', 'p2pd.sock'));
  });

  it('lets the CLI find the user\'s daemon first, then the system service', () => {
    expect(socketCandidates({ env })).toEqual(['/run/user/1000/p2p/p2pd.sock', '/home/u/.local/share/p2p/p2pd.sock', SERVICE_SOCKET_PATH]);
    expect(socketCandidates({ socket: 'rel.sock', env })).toHaveLength(1);
    expect(socketCandidates({ env: { ...env, RUNTIME_DIRECTORY: '/run/p2p' } })[0]).toBe('/run/user/1000/p2p/p2pd.sock');
  });
});
