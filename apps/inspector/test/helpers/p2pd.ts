import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { control, FrameDecoder, frameBytes, type p2p } from '@p2p/core/wire';

/** The built daemon of the workspace (a devDependency, so turbo builds it before these tests). */
export const P2PD = fileURLToPath(new URL('../../../../packages/daemon/dist/bin/p2pd.js', import.meta.url));

/** A running p2pd. */
export interface Daemon {
  /** Its "p2pd ready" log fields. */
  ready: { peerId: string; name: string; listen: string; socket: string };
  /** Stops it with SIGTERM and waits. */
  stop(): Promise<void>;
}

/** Starts p2pd with a fresh data directory under `dir` and waits for its "p2pd ready" line. */
export async function startDaemon(dir: string, name: string, args: string[]): Promise<Daemon> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('P2P_') && k !== 'NOTIFY_SOCKET') env[k] = v;
  const child: ChildProcess = spawn(process.execPath, [P2PD, '--data-dir', join(dir, name), '--name', name, ...args], { env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = await new Promise<Daemon['ready']>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`p2pd ${name} not ready:\n${output}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
      for (const line of output.split('\n')) {
        if (!line.includes('p2pd ready')) continue;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Daemon['ready']);
      }
    });
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`p2pd ${name} exited with ${code}:\n${output}`));
    });
  });
  return {
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One request on a daemon's control socket; resolves with its first response. */
export function controlCall(socketPath: string, body: Omit<p2p.control.v1.Request.$Properties, 'id'>): Promise<p2p.control.v1.Response> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const decoder = new FrameDecoder({ maxFrameSize: 8 * 1024 * 1024 });
    socket.on('connect', () => socket.write(frameBytes(control.Request.encode({ id: 1, ...body }).finish())));
    socket.on('data', (chunk) => {
      const [frame] = decoder.push(chunk);
      if (!frame) return;
      socket.destroy();
      resolve(control.Response.decode(frame));
    });
    socket.on('error', reject);
  });
}

/** Polls until `check` is true or `ms` pass. */
export async function eventually(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
