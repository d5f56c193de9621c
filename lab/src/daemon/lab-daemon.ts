/**
 * A p2pd process on a lab host: started with `ip netns exec` inside the host's namespace (so its pid is the node
 * process itself), with the daemon's defaults except the data directory, the interface and mask of the host's link,
 * and the listen address pinned to the host's address on the default port. Process faults live here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { LabDaemonError } from '../errors.js';
import type { LabHost } from '../netns/lab-network.js';
import { daemonControl, type DaemonControl } from './control-client.js';
import { p2pdPath } from './p2pd-path.js';

/** What the daemon said when it was ready. */
export interface DaemonReady {
  peerId: string;
  name: string;
  listen: string;
  socket: string;
}

/** Lifecycle state of a lab daemon. */
export type DaemonState = 'running' | 'frozen' | 'killed' | 'stopped';

/** How to start a daemon on a host. */
export interface LabDaemonInit {
  host: LabHost;
  /** Mask of the host's subnet, dotted. */
  mask: string;
  /** Data directory (kept across restarts: same identity, same inbox). */
  dataDir: string;
  /** Extra p2pd flags (e.g. ['--no-lan'], ['--seed', 'a:7070'], ['--role', 'seed']). */
  args?: string[];
  /** How long to wait for "p2pd ready"; default 60 s (a loaded machine starts a dozen daemons at once). */
  readyTimeoutMs?: number;
}

/** A daemon on a lab host. */
export interface LabDaemon {
  readonly host: LabHost;
  readonly dataDir: string;
  /** Its node's peer ID (stable across restarts). */
  readonly peerId: string;
  /** Its node's name. */
  readonly name: string;
  /** The control socket path. */
  readonly socket: string;
  /** Pid of the current process. */
  readonly pid: number;
  /** Current state. */
  readonly state: DaemonState;
  /** Control calls. */
  readonly control: DaemonControl;
  /** The last lines the process wrote (bounded). */
  readonly output: readonly string[];
  /** SIGKILL: no goodbyes, sockets closed by the kernel. */
  kill(): Promise<void>;
  /** SIGSTOP: the process stops answering, its sockets stay open. */
  freeze(): void;
  /** SIGCONT. */
  thaw(): void;
  /** SIGTERM and wait: goodbyes to every peer. */
  stop(): Promise<void>;
  /** Stops (or kills, when frozen) and starts again on the same data directory. */
  restart(): Promise<void>;
}

const KEEP_LINES = 200;
const P2PD_PORT = 7070;

/** Starts p2pd on the host and waits until it is ready. */
export async function startLabDaemon(init: LabDaemonInit): Promise<LabDaemon> {
  const bin = p2pdPath();
  let proc!: ChildProcess;
  let ready!: DaemonReady;
  let state: DaemonState = 'stopped';
  const output: string[] = [];

  const launch = async (): Promise<void> => {
    const { host } = init;
    const args = [
      'netns', 'exec', host.namespace, process.execPath, bin,
      '--data-dir', init.dataDir, '--name', `h${host.index}`,
      '--listen', `${host.address}:${P2PD_PORT}`, '--interface', host.address, '--mask', init.mask,
      ...(init.args ?? []),
    ];
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('P2P_') && k !== 'NOTIFY_SOCKET'));
    proc = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
    state = 'running';
    const child = proc;
    child.once('exit', () => {
      if (proc === child && state !== 'killed') state = 'stopped';
    });
    ready = await new Promise<DaemonReady>((resolve, reject) => {
      const ms = init.readyTimeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new LabDaemonError(`p2pd on ${host.namespace} not ready in ${ms} ms:\n${output.slice(-20).join('\n')}`));
      }, ms);
      let buffered = '';
      const onLine = (line: string) => {
        output.push(line);
        if (output.length > KEEP_LINES) output.shift();
        if (!line.includes('p2pd ready')) return;
        try {
          const entry = JSON.parse(line) as DaemonReady & { msg?: string };
          if (entry.msg === 'p2pd ready') {
            clearTimeout(timer);
            resolve(entry);
          }
        } catch {
          // not a JSON line
        }
      };
      child.stdout!.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        lines.forEach(onLine);
      });
      child.stderr!.on('data', (chunk: Buffer) => chunk.toString().split('\n').filter(Boolean).forEach(onLine));
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new LabDaemonError(`p2pd on ${host.namespace} exited (${code ?? signal}) before ready:\n${output.slice(-20).join('\n')}`));
      });
    });
  };

  const exited = (): Promise<unknown> => (proc.exitCode !== null || proc.signalCode !== null ? Promise.resolve() : once(proc, 'exit'));
  const signal = (sig: NodeJS.Signals): void => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(sig);
  };

  await launch();
  const daemon: LabDaemon = {
    host: init.host,
    dataDir: init.dataDir,
    get peerId() { return ready.peerId; },
    get name() { return ready.name; },
    get socket() { return ready.socket ?? join(init.dataDir, 'p2pd.sock'); },
    get pid() { return proc.pid ?? -1; },
    get state() { return state; },
    get control() { return daemonControl(daemon.socket); },
    output,
    async kill() {
      state = 'killed';
      signal('SIGKILL');
      await exited();
    },
    freeze() {
      signal('SIGSTOP');
      state = 'frozen';
    },
    thaw() {
      signal('SIGCONT');
      if (state === 'frozen') state = 'running';
    },
    async stop() {
      if (state === 'frozen') signal('SIGCONT');
      signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), 10_000);
      await exited();
      clearTimeout(timer);
      state = 'stopped';
    },
    async restart() {
      if (state === 'frozen') await daemon.kill();
      else await daemon.stop();
      await launch();
    },
  };
  return daemon;
}
