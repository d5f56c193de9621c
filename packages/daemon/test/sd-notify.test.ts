import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, eventually, killAll, startP2pd, tempDir } from './daemon-process.js';

afterAll(killAll);

describe('readiness under systemd', () => {
  it('runs systemd-notify --ready once up and STOPPING=1 on shutdown when NOTIFY_SOCKET is set', async () => {
    // A stand-in for systemd-notify that records its arguments: what matters is what p2pd asks for, and when.
    const bin = await tempDir('fake-systemd-');
    const record = join(bin, 'calls.txt');
    await writeFile(join(bin, 'systemd-notify'), `#!/bin/sh\necho "$NOTIFY_SOCKET $*" >> '${record}'\n`);
    await chmod(join(bin, 'systemd-notify'), 0o755);
    const env = cleanEnv({ NOTIFY_SOCKET: '/run/fake-notify', PATH: `${bin}:${process.env.PATH}` });
    const d = await startP2pd(['--listen', '127.0.0.1:0', '--no-lan'], undefined, env);
    await eventually(() => d.lines.some((l) => l.includes('readiness reported to systemd')), 10_000, 'the readiness report');
    const calls = await readFile(record, 'utf8');
    expect(calls).toContain(`/run/fake-notify --pid=${d.proc.pid} --ready --status=ready: `);
    expect(calls).toContain(d.ready.peerId);
    expect(await d.stop('SIGTERM')).toBe(0);
    await eventually(async () => (await readFile(record, 'utf8')).includes('STOPPING=1'), 10_000, 'STOPPING=1');
  });

  it('does not run systemd-notify without NOTIFY_SOCKET', async () => {
    const bin = await tempDir('fake-systemd-');
    const record = join(bin, 'calls.txt');
    await writeFile(join(bin, 'systemd-notify'), `#!/bin/sh\necho "$*" >> '${record}'\n`);
    await chmod(join(bin, 'systemd-notify'), 0o755);
    const d = await startP2pd(['--listen', '127.0.0.1:0', '--no-lan'], undefined, cleanEnv({ PATH: `${bin}:${process.env.PATH}` }));
    expect(await d.stop('SIGINT')).toBe(0);
    await expect(readFile(record, 'utf8')).rejects.toThrow();
  });
});
