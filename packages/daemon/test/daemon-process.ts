/** Spawns the built p2pd as a child process, waits for its readiness line, and talks to its control socket. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFrameDecoder, decodeResponse, encodeRequestFrame, MAX_RESPONSE_FRAME, type ControlResponse, type RequestBody } from '@p2p/control';

/** The built daemon binary. */
export const P2PD = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'p2pd.js');

/** Fields of the "p2pd ready" log line. */
export interface Ready {
  peerId: string;
  name: string;
  listen: string;
  socket: string;
  metrics?: string;
}

/** A running daemon process. */
export interface DaemonProcess {
  proc: ChildProcess;
  dataDir: string;
  ready: Ready;
  /** Every stdout line so far (JSON log lines). */
  lines: string[];
  /** Sends a signal and resolves with the exit code (or the signal's name). */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

const children = new Set<ChildProcess>();

/** Kills every daemon still running (for afterAll). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Environment for a child: no P2P_* or NOTIFY_SOCKET leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  // The socket's place depends on these: each test says what it wants.
  const own = new Set(['NOTIFY_SOCKET', 'XDG_RUNTIME_DIR', 'RUNTIME_DIRECTORY', 'JOURNAL_STREAM']);
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('P2P_') && !own.has(k)) env[k] = v;
  return { ...env, NO_COLOR: '1', ...extra };
}

/** A fresh temporary data directory. */
export function tempDir(prefix = 'p2pd-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** A UDP port that was free a moment ago (for a discovery port shared by several daemons). */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** Runs p2pd to completion (for --check-config and refusals). */
export function runP2pd(args: string[], env: NodeJS.ProcessEnv = cleanEnv()): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [P2PD, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts p2pd with `args` on `dataDir` (a fresh one if absent) and waits for "p2pd ready". */
export async function startP2pd(
  args: string[], dataDir?: string, env: NodeJS.ProcessEnv = cleanEnv(), options: { logLevelFromConfig?: boolean } = {},
): Promise<DaemonProcess> {
  const dir = dataDir ?? (await tempDir());
  // --log-level debug unless the test wants the config file's level (a flag would win over it).
  const level = options.logLevelFromConfig ? [] : ['--log-level', 'debug'];
  const proc = spawn(process.execPath, [P2PD, '--data-dir', dir, ...level, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const lines: string[] = [];
  let stderr = '';
  let buffered = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`p2pd not ready in 30 s:\n${lines.join('\n')}\n${stderr}`)), 30_000);
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        try {
          // Under journald (JOURNAL_STREAM) every line starts with its priority, <6> for info.
          const entry = JSON.parse(line.replace(/^<\d>/, '')) as Ready & { msg?: string };
          if (entry.msg === 'p2pd ready') {
            clearTimeout(timer);
            resolve(entry);
          }
        } catch {
          // not JSON: kept in lines for the failure message
        }
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`p2pd exited with ${code} before ready:\n${lines.join('\n')}\n${stderr}`));
    });
  });
  return {
    proc, dataDir: dir, ready, lines,
    stop(signal = 'SIGTERM') {
      if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode ?? proc.signalCode);
      return new Promise((resolve) => {
        proc.once('exit', (code, sig) => resolve(code ?? sig));
        proc.kill(signal);
      });
    },
  };
}

/** Sends one control request and collects responses until `done` says so (or the connection closes). */
export function controlCall(
  socketPath: string,
  body: RequestBody,
  done: (responses: ControlResponse[]) => boolean = (r) => r.length > 0,
): Promise<ControlResponse[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const decoder = createFrameDecoder(MAX_RESPONSE_FRAME);
    const responses: ControlResponse[] = [];
    socket.on('connect', () => socket.write(encodeRequestFrame({ id: 1, ...body })));
    socket.on('data', (chunk) => {
      responses.push(...decoder.push(chunk).map(decodeResponse));
      if (done(responses)) {
        socket.destroy();
        resolve(responses);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(responses));
  });
}

/** Polls `check` until it returns true, failing after `ms`. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
