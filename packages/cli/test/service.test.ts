import { mkdtemp, stat } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanEnv, eventually, killAll, P2PD_WITH_PEERS, runCli, runPipeline, startDaemon, tempDir, type Daemon,
} from './processes.js';

afterAll(killAll);

const loopback = ['--listen', '127.0.0.1:0', '--no-lan'];
type Started = Daemon & { socket: string };

describe('a daemon with 10,000 peers, and a piped CLI', () => {
  let big: Started;
  beforeAll(async () => {
    big = await startDaemon('big', loopback, { script: P2PD_WITH_PEERS, env: cleanEnv({ P2PD_TEST_EXTRA_PEERS: '10000' }) });
  });

  it('p2p-cli peers --json gets all 10,000 rows, and a pipe gets every byte', async () => {
    const full = await runPipeline(`"$NODE" "$P2P_CLI" --socket "${big.socket}" peers --json | cat`);
    expect(full.code).toBe(0);
    const rows = JSON.parse(full.stdout.toString()) as { peerId: string }[];
    expect(rows).toHaveLength(10_000);
    expect(new Set(rows.map((r) => r.peerId)).size).toBe(10_000);
    expect(full.stdout.length).toBeGreaterThan(1_000_000);
    // The reader takes exactly a million bytes: the CLI must not stop at a pipe buffer (64 KiB) by exiting early.
    const head = await runPipeline(`"$NODE" "$P2P_CLI" --socket "${big.socket}" peers --json | head -c 1000000`);
    expect(head.stdout.length).toBe(1_000_000);
    expect(head.stdout.equals(full.stdout.subarray(0, 1_000_000))).toBe(true);
    const slowReader = await runPipeline(`"$NODE" "$P2P_CLI" --socket "${big.socket}" peers | (sleep 1; wc -l)`);
    expect(Number(slowReader.stdout.toString().trim())).toBe(10_001);
    console.log(`peers --json of 10,000 rows: ${full.stdout.length} bytes`);
  });

  it('status, inbox and peers outputs are complete through a pipe that reads late', async () => {
    const status = await runPipeline(`"$NODE" "$P2P_CLI" --socket "${big.socket}" status --json | (sleep 1; cat)`);
    expect(JSON.parse(status.stdout.toString())).toMatchObject({ name: 'big', version: '0.1.0' });
  });
});

describe('errors with --json', () => {
  it('are one JSON object on stderr, with the exit code of the condition', async () => {
    const dir = await tempDir();
    const none = await runCli(['--data-dir', dir, 'status', '--json']);
    expect(none.code).toBe(3);
    expect(none.stdout).toBe('');
    expect(JSON.parse(none.stderr)).toEqual({ error: { code: 'ERR_NO_DAEMON', message: `no daemon at ${join(dir, 'p2pd.sock')}: start it with \`p2pd\`` } });
    expect(none.stderr.trim().split('\n')).toHaveLength(1);
    const usage = await runCli(['frobnicate', '--json']);
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stderr).error.code).toBe('ERR_USAGE');
    const d = await startDaemon('solo', loopback);
    const unknown = await runCli(['--socket', d.socket, 'send', 'nobody', 'hi', '--json']);
    expect(unknown.code).toBe(4);
    expect(unknown.stdout).toBe('');
    expect(JSON.parse(unknown.stderr)).toEqual({ error: { code: 'ERR_PEER_NOT_FOUND', message: 'nobody: no known peer by that name or ID (or more than one)' } });
    const dial = await runCli(['--socket', d.socket, 'connect', '127.0.0.1:1', '--json', '--timeout', '3000']);
    expect(dial.code).toBe(1);
    expect(JSON.parse(dial.stderr).error.code).toBe('ERR_DIAL');
  });
});

describe('finding the daemon', () => {
  it('in $XDG_RUNTIME_DIR/p2p/ by itself, with --socket and P2P_SOCKET to override', async () => {
    const runtime = await mkdtemp(join(tmpdir(), 'p2p-xdg-run-'));
    const data = await mkdtemp(join(tmpdir(), 'p2p-xdg-data-'));
    const env = cleanEnv({ XDG_RUNTIME_DIR: runtime, XDG_DATA_HOME: data });
    // No --data-dir at all: the default data directory and the default socket, as a user would run it.
    const d = await startDaemon('home', loopback, { env, dataDir: null });
    expect(d.dataDir).toBe(join(data, 'p2p'));
    expect(d.socket).toBe(join(runtime, 'p2p', 'p2pd.sock'));
    expect((await stat(d.socket)).mode & 0o777).toBe(0o600);
    expect((await stat(join(runtime, 'p2p'))).mode & 0o777).toBe(0o700);
    const found = await runCli(['status', '--json'], { env });
    expect(found.code).toBe(0);
    expect(JSON.parse(found.stdout).name).toBe('home');
    // Another data directory gets its own socket there, which --data-dir finds.
    const other = await startDaemon('other', loopback, { env });
    expect(other.socket.startsWith(join(runtime, 'p2p', 'p2pd-'))).toBe(true);
    expect(JSON.parse((await runCli(['--data-dir', other.dataDir, 'status', '--json'], { env })).stdout).name).toBe('other');
    expect(JSON.parse((await runCli(['status', '--json'], { env: { ...env, P2P_SOCKET: other.socket } })).stdout).name).toBe('other');
    expect(JSON.parse((await runCli(['--socket', d.socket, 'status', '--json'], { env: { ...env, P2P_SOCKET: other.socket } })).stdout).name).toBe('home');
  });

  it('a group socket (--socket-mode 660) is 0660', async () => {
    const d = await startDaemon('group', [...loopback, '--socket-mode', '660']);
    expect((await stat(d.socket)).mode & 0o777).toBe(0o660);
  });
});

describe('idle control connections', () => {
  it('never lock out p2p-cli status, and are closed after the idle timeout', async () => {
    const d = await startDaemon('guarded', [...loopback, '--control-idle-timeout', '3']);
    const idle: { socket: Socket; closed: boolean }[] = [];
    for (let i = 0; i < 40; i++) {
      const socket = connect(d.socket);
      const entry = { socket, closed: false };
      socket.on('close', () => (entry.closed = true));
      socket.on('error', () => {});
      socket.resume();
      await new Promise((resolve) => socket.once('connect', resolve));
      idle.push(entry);
    }
    const began = Date.now();
    const status = await runCli(['--socket', d.socket, 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).name).toBe('guarded');
    // 40 idle clients against 32 slots: the longest-idle ones gave up theirs, oldest first.
    await eventually(() => idle.slice(0, 9).every((c) => c.closed), 10_000, 'the nine longest-idle connections to be closed');
    await eventually(() => idle.every((c) => c.closed), 30_000, 'every idle connection to be closed');
    console.log(`40 idle control connections: all closed by the daemon ${Date.now() - began} ms after p2p-cli status (idle timeout 3 s)`);
  });
});

describe('p2p-cli connect', () => {
  it('opens a session to HOST:PORT and names the peer there', async () => {
    const [a, b] = await Promise.all([startDaemon('left', loopback), startDaemon('right', loopback)]);
    const r = await runCli(['--socket', a.socket, 'connect', b.listen, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ address: b.listen, peerId: b.peerId, name: 'right' });
    const peers = JSON.parse((await runCli(['--socket', a.socket, 'peers', '--json'])).stdout) as { peerId: string; state: string }[];
    expect(peers.find((p) => p.peerId === b.peerId)?.state).toBe('connected');
    const wrong = await runCli(['--socket', a.socket, 'connect', b.listen, '--peer-id', a.peerId]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^p2p-cli: .*expected peer/);
  });
});
