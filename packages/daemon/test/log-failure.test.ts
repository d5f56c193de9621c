/**
 * A log that cannot be written never stops the daemon: stdout on a full disk (ENOSPC), stdout a pipe nobody
 * reads any more (EPIPE). The daemon keeps serving and stops cleanly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, controlCall, eventually, killAll, P2PD, startP2pd, tempDir, type DaemonProcess } from './daemon-process.js';
import { canMountTmpfs, fillToTheLastByte, mountTmpfs } from './tmpfs.js';

afterAll(killAll);

const spawned = new Set<ChildProcess>();
afterAll(() => {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

/** Starts p2pd with stdout going to `stdout`; ready once its control socket answers (its log may be unreadable). */
async function startWithStdout(stdout: number | 'pipe', name: string): Promise<{ proc: ChildProcess; socket: string; peerId: string; listen: string }> {
  const dataDir = await tempDir();
  const socket = join(dataDir, 'p2pd.sock');
  const proc = spawn(process.execPath, [P2PD, '--data-dir', dataDir, '--socket', socket, '--name', name, '--listen', '127.0.0.1:0', '--no-lan', '--log-level', 'debug'], {
    env: cleanEnv(), stdio: ['ignore', stdout, 'pipe'],
  });
  spawned.add(proc);
  let status: { peerId?: string | null; listen?: string | null } | undefined;
  await eventually(async () => {
    if (proc.exitCode !== null) throw new Error(`p2pd exited with ${proc.exitCode}`);
    const [r] = await controlCall(socket, { status: {} }).catch(() => []);
    status = r?.status ?? undefined;
    return status?.listen !== undefined && status.listen !== '';
  }, 30_000, `${name} to answer on its socket`);
  return { proc, socket, peerId: status!.peerId!, listen: status!.listen! };
}

function stopped(proc: ChildProcess): Promise<number | string | null> {
  return new Promise((resolve) => {
    proc.once('exit', (code, signal) => resolve(code ?? signal));
    proc.kill('SIGTERM');
  });
}

describe('a log that cannot be written never stops the daemon', () => {
  let sender: DaemonProcess;

  afterAll(async () => {
    await sender?.stop();
  });

  const exercise = async (target: { socket: string; listen: string; peerId: string }) => {
    sender ??= await startP2pd(['--name', 'sender', '--listen', '127.0.0.1:0', '--no-lan']);
    const [c] = await controlCall(sender.ready.socket, { connect: { address: target.listen, timeoutMs: 10_000 } });
    expect(c!.connect?.peerId).toBe(target.peerId);
    // Every message logs lines at debug level (sessions, deliveries): each of those writes fails.
    for (let i = 0; i < 20; i++) {
      const [r] = await controlCall(sender.ready.socket, { send: { to: target.peerId, text: `line ${i}`, timeoutMs: 10_000 } });
      expect(r!.send!.status).toBe('delivered');
    }
    const [s] = await controlCall(target.socket, { status: {} });
    expect(s!.status!.inbox!.messages).toBe(20);
  };

  it.skipIf(!canMountTmpfs())('stdout on a full disk (ENOSPC)', async () => {
    const fs = await mountTmpfs('128k');
    try {
      const path = join(fs.dir, 'p2pd.log');
      const fd = openSync(path, 'w');
      fillToTheLastByte(join(fs.dir, 'filler'));
      const target = await startWithStdout(fd, 'full-log');
      closeSync(fd);
      await exercise(target);
      expect(await stopped(target.proc)).toBe(0);
    } finally {
      await fs.unmount();
    }
  });

  it('stdout a pipe whose reader went away (EPIPE)', async () => {
    const target = await startWithStdout('pipe', 'closed-pipe');
    target.proc.stdout!.destroy();
    await exercise(target);
    expect(await stopped(target.proc)).toBe(0);
    await rm(join(target.socket, '..'), { recursive: true, force: true });
  });
});
