import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { P2PD, tempDir } from './daemon-process.js';

const run = promisify(execFile);
const systemd = join(dirname(fileURLToPath(import.meta.url)), '..', 'systemd');
const has = async (tool: string) => run('sh', ['-c', `command -v ${tool}`]).then(() => true, () => false);

describe('the systemd unit', () => {
  it('is hardened as the README says, reloads with SIGHUP and keeps its socket in RuntimeDirectory', async () => {
    const unit = await readFile(join(systemd, 'p2pd.service'), 'utf8');
    const settings = new Map(unit.split('\n').filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(Object.fromEntries(['ProtectClock', 'ProtectHostname', 'ProtectKernelLogs', 'RestrictRealtime', 'RestrictSUIDSGID', 'NoNewPrivileges'].map((k) => [k, settings.get(k)])))
      .toEqual({ ProtectClock: 'yes', ProtectHostname: 'yes', ProtectKernelLogs: 'yes', RestrictRealtime: 'yes', RestrictSUIDSGID: 'yes', NoNewPrivileges: 'yes' });
    expect(settings.get('CapabilityBoundingSet')).toBe('');
    expect(settings.get('ProtectProc')).toBe('invisible');
    expect(settings.get('SystemCallFilter')).toBe('@system-service');
    expect(settings.get('UMask')).toBe('0077');
    expect(settings.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(settings.get('RuntimeDirectory')).toBe('p2p');
    expect(settings.has('MemoryDenyWriteExecute')).toBe(false);
  });

  it('passes systemd-analyze verify without a warning, and its sysusers.d file creates the p2p user', async () => {
    if (!(await has('systemd-analyze')) || !(await has('systemd-sysusers'))) {
      console.log('systemd-analyze or systemd-sysusers missing (apt-get install systemd): unit not verified');
      return;
    }
    const dir = await tempDir('p2pd-unit-');
    const unit = (await readFile(join(systemd, 'p2pd.service'), 'utf8'))
      .replace(/^ExecStart=\S+/m, `ExecStart=${process.execPath} ${P2PD}`);
    await writeFile(join(dir, 'p2pd.service'), unit);
    const verify = await run('systemd-analyze', ['verify', '--man=no', join(dir, 'p2pd.service')]);
    expect(verify.stderr.trim()).toBe('');
    await mkdir(join(dir, 'root', 'etc'), { recursive: true });
    const users = await run('systemd-sysusers', ['--dry-run', `--root=${join(dir, 'root')}`, join(systemd, 'sysusers.d', 'p2p.conf')]);
    expect(users.stdout + users.stderr).toMatch(/Creating user '?p2p'? /);
  });
});
