/** Spawns the built p2pd and p2p-cli binaries for the CLI's end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The built CLI. */
export const P2P_CLI = join(here, '..', 'dist', 'bin', 'p2p-cli.js');
/** The built daemon (a dev dependency, so turbo builds it first). */
export const P2PD = join(here, '..', '..', 'daemon', 'dist', 'bin', 'p2pd.js');

const children = new Set<ChildProcess>();

/** Kills every child still running (for afterAll). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Environment for a child: nothing P2P_* from the runner, no colours forced. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // The socket's place depends on the runtime directories: each test says what it wants.
    if (!k.startsWith('P2P_') && !['NOTIFY_SOCKET', 'FORCE_COLOR', 'XDG_RUNTIME_DIR', 'RUNTIME_DIRECTORY', 'JOURNAL_STREAM'].includes(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

/** A fresh temporary directory. */
export function tempDir(prefix = 'p2p-cli-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** What a finished process printed and how it exited. */
export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a shell pipeline (p2p-cli's path is $P2P_CLI in it) and collects its output as bytes. */
export function runPipeline(script: string, env: NodeJS.ProcessEnv = cleanEnv()): Promise<{ code: number | null; stdout: Buffer; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn('sh', ['-c', script], { env: { ...env, P2P_CLI, NODE: process.execPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    const out: Buffer[] = [];
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => out.push(d));
    proc.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });
}

/** Runs p2p-cli to completion, optionally feeding `input` on stdin. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [P2P_CLI, ...args], { env: options.env ?? cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(proc);
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => (stdout += d));
    proc.stderr.on('data', (d) => (stderr += d));
    proc.stdin.end(options.input ?? '');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 45_000);
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running p2p-cli (inbox --follow) whose output is read as it comes. */
export interface Streaming {
  proc: ChildProcess;
  /** Everything printed on stdout so far. */
  stdout(): string;
}

/** Starts p2p-cli without waiting for it to end. */
export function spawnCli(args: string[]): Streaming {
  const proc = spawn(process.execPath, [P2P_CLI, ...args], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  return { proc, stdout: () => out };
}

/** A running daemon: its data directory and the fields of its "p2pd ready" line. */
export interface Daemon {
  proc: ChildProcess;
  dataDir: string;
  peerId: string;
  name: string;
  listen: string;
  /** Where clique clients connect (role server only). */
  clique?: string;
}

/** p2pd with a peer table padded by synthetic rows (see the fixture's header). */
export const P2PD_WITH_PEERS = join(here, 'fixtures', 'p2pd-with-peers.mjs');

/** How to start a daemon beyond its name and flags. */
export interface DaemonOptions {
  /** Environment (default cleanEnv()). */
  env?: NodeJS.ProcessEnv;
  /** The script to run instead of the built p2pd. */
  script?: string;
  /** The data directory; a fresh one when absent, none at all (p2pd's default) when null. */
  dataDir?: string | null;
}

/** Starts p2pd on a fresh data directory and waits for its readiness line. */
export async function startDaemon(name: string, args: string[], options: DaemonOptions = {}): Promise<Daemon & { socket: string }> {
  const dataDir = options.dataDir === null ? '' : (options.dataDir ?? (await tempDir('p2pd-')));
  const dirArgs = dataDir ? ['--data-dir', dataDir] : [];
  const proc = spawn(process.execPath, [options.script ?? P2PD, ...dirArgs, '--name', name, ...args], { env: options.env ?? cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`p2pd ${name} not ready:\n${out}\n${err}`)), 30_000);
    proc.stdout!.on('data', (d) => {
      out += d;
      for (const line of out.split('\n')) {
        if (!line.includes('"p2pd ready"')) continue;
        const ready = JSON.parse(line) as { peerId: string; listen: string; socket: string; dataDir: string; clique?: string };
        clearTimeout(timer);
        resolve({ proc, dataDir: ready.dataDir, peerId: ready.peerId, name, listen: ready.listen, socket: ready.socket, ...(ready.clique ? { clique: ready.clique } : {}) });
        return;
      }
    });
    proc.once('exit', (code) => reject(new Error(`p2pd ${name} exited with ${code}:\n${out}\n${err}`)));
  });
}

/** Polls `check` until it returns true, failing after `ms`. */
export async function eventually(check: () => Promise<boolean> | boolean, ms = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
