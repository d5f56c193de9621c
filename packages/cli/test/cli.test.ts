import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, eventually, killAll, runCli, spawnCli, startDaemon, tempDir, type Daemon, type RunResult } from './processes.js';

afterAll(killAll);

const INBOX_KEYS = ['from', 'fromPeerId', 'id', 'kind', 'receivedAt', 'text', 'to'];
const ESC = String.fromCharCode(27);

describe('p2p-cli without a daemon', () => {
  it('says so in one line and exits 3', async () => {
    const dir = await tempDir();
    for (const command of [['status'], ['peers'], ['send', 'bob', 'hi'], ['inbox'], ['ping', 'bob'], ['chat'], ['connect', '127.0.0.1:1']]) {
      const r = await runCli(['--data-dir', dir, ...command]);
      expect(r.code, command.join(' ')).toBe(3);
      expect(r.stderr).toBe(`p2p-cli: no daemon at ${join(dir, 'p2pd.sock')}: start it with \`p2pd\`\n`);
      expect(r.stdout).toBe('');
    }
  });

  it('finds the socket through P2P_DATA_DIR', async () => {
    const dir = await tempDir();
    const r = await runCli(['status'], { env: cleanEnv({ P2P_DATA_DIR: dir }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(join(dir, 'p2pd.sock'));
  });

  it('lists exit codes in --help and shows an example in every command\'s --help', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*3 {2}no daemon/);
    for (const command of ['status', 'peers', 'send', 'inbox', 'chat', 'ping', 'connect', 'completion']) {
      const r = await runCli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(/Examples:\n {2}p2p-cli /);
    }
  });

  it('refuses bad usage with exit 2, and prints a completion script', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^p2p-cli: /);
    // A number that is not one (a typo, a negative, a huge one) is bad usage, never "all messages" or "the default".
    for (const [args, flag] of [[['inbox', '--limit', 'abc'], 'limit'], [['inbox', '-n', '-5'], 'limit'], [['inbox', '-n', '1e20'], 'limit'],
      [['ping', 'bob', '--timeout', '-1'], 'timeout'], [['send', 'bob', 'hi', '--timeout', 'soon'], 'timeout'], [['connect', '127.0.0.1:1', '--timeout', '0'], 'timeout']] as const) {
      const bad = await runCli([...args]);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.stderr, args.join(' ')).toMatch(new RegExp(`^p2p-cli: --${flag} needs a whole number of`));
    }
    // A flag without its value is bad usage too, in one line, not a crash with a stack trace.
    for (const args of [['--data-dir'], ['clique', 'join', '--name'], ['clique', 'who', '--server']]) {
      const missing = await runCli(args);
      expect(missing.code, args.join(' ')).toBe(2);
      expect(missing.stderr, args.join(' ')).toBe(`p2p-cli: Not enough arguments following: ${args.at(-1)!.slice(2)}\nrun \`p2p-cli --help\` for usage\n`);
    }
    // An address that cannot be dialled is bad usage, checked by the daemon's own rule before any daemon is asked.
    for (const address of ['127.0.0.1:99999', '::1:7070', 'host', '127.0.0.1:0']) {
      const wrong = await runCli(['connect', address]);
      expect(wrong.code, address).toBe(2);
      expect(wrong.stderr, address).toMatch(/^p2p-cli: connect: /);
    }
    const completion = await runCli(['completion']);
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain('p2p-cli --get-yargs-completions');
    expect(completion.stdout).toContain('p2p-cli completion >> ~/.bashrc');
    const words = await runCli(['--get-yargs-completions', 'p2p-cli', '']);
    expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['status', 'peers', 'send', 'inbox', 'chat', 'ping', 'connect', 'completion']));
  });
});

describe('p2p-cli against three daemons on loopback', () => {
  let seed: Daemon;
  let bravo: Daemon;
  let charlie: Daemon;
  const cli = (d: Daemon, ...args: string[]) => runCli(['--data-dir', d.dataDir, ...args]);
  const succeeds = async (run: () => Promise<RunResult>): Promise<RunResult> => {
    let last: RunResult | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      last = await run();
      if (last.code === 0) return last;
    }
    throw new Error(`failed three times; last: ${JSON.stringify(last)}`);
  };
  const inboxOf = async (d: Daemon) => JSON.parse((await cli(d, 'inbox', '--json')).stdout) as Record<string, string>[];

  beforeAll(async () => {
    // The seed route: no LAN discovery at all, everyone registers with the seed.
    seed = await startDaemon('alpha', ['--role', 'seed', '--listen', '127.0.0.1:0', '--no-lan']);
    [bravo, charlie] = await Promise.all([
      startDaemon('bravo', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', seed.listen]),
      startDaemon('charlie', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', seed.listen]),
    ]);
    for (const d of [seed, bravo, charlie]) {
      await eventually(async () => {
        const r = await cli(d, 'peers', '--json');
        return r.code === 0 && (JSON.parse(r.stdout) as { state: string }[]).filter((p) => p.state === 'connected').length === 2;
      }, 45_000, `${d.name} to connect to the other two`);
    }
  });

  it('status --json has exactly the documented shape', async () => {
    const r = await cli(bravo, 'status', '--json');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(Object.keys(status).sort()).toEqual(['inbox', 'listen', 'name', 'peerId', 'peers', 'protocol', 'role', 'uptimeSeconds', 'version']);
    expect(status).toMatchObject({ peerId: bravo.peerId, name: 'bravo', role: 'peer', listen: bravo.listen, protocol: 1, peers: 2, version: '0.1.0' });
    expect(status.uptimeSeconds).toBeGreaterThan(0);
    expect(status.inbox).toEqual({
      messages: expect.any(Number), bytes: expect.any(Number), quotaBytes: 256 * 1024 * 1024, disk: 'ok', lastError: '', lastErrorAt: '',
      refused: 0, writeFailures: 0,
    });
    const seedStatus = JSON.parse((await cli(seed, 'status', '--json')).stdout);
    expect(seedStatus.role).toBe('seed');
    const human = await cli(bravo, 'status');
    expect(human.stdout).toContain(bravo.peerId);
    expect(human.stdout).toMatch(/^ {2}inbox +\d+ messages, [\d.]+ (B|KiB) of 256\.0 MiB$/m);
    expect(human.stdout).not.toContain('disk');
    expect(human.stdout).toMatch(/version +p2pd 0\.1\.0\n +uptime +\d+ (s|min)/);
    expect(human.stdout).not.toContain(ESC);
  });

  it('peers --json lists the others with the documented shape; peers prints a table', async () => {
    const r = await cli(bravo, 'peers', '--json');
    const peers = JSON.parse(r.stdout) as Record<string, unknown>[];
    for (const p of peers) expect(Object.keys(p).sort()).toEqual(['address', 'name', 'peerId', 'rttMs', 'state']);
    const connected = peers.filter((p) => p.state === 'connected');
    expect(connected.map((p) => p.name).sort()).toEqual(['alpha', 'charlie']);
    expect(connected.find((p) => p.name === 'alpha')).toMatchObject({ peerId: seed.peerId, address: seed.listen });
    const table = await cli(bravo, 'peers');
    expect(table.stdout).toMatch(/^NAME +PEER ID +ADDRESS +STATE +RTT\n/);
    expect(table.stdout).toContain('charlie');
  });

  it('send: delivered exits 0; --json reports it; an unknown peer exits 4', async () => {
    const r = await cli(bravo, 'send', 'charlie', 'hello', 'charlie');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^delivered to charlie/);
    const byId = await cli(bravo, 'send', '--json', charlie.peerId, 'by', 'id');
    expect(byId.code).toBe(0);
    expect(JSON.parse(byId.stdout)).toMatchObject({ to: charlie.peerId, delivered: true, status: 'delivered', peerId: charlie.peerId });
    // Words that look like numbers stay text.
    expect((await cli(bravo, 'send', 'charlie', '007', '1e3')).code).toBe(0);
    const unknown = await cli(bravo, 'send', 'nobody', 'hi');
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toBe('p2p-cli: nobody: no known peer by that name or ID (or more than one)\n');
    const inbox = await inboxOf(charlie);
    expect(inbox.filter((e) => e.kind === 'direct').map((e) => e.text)).toEqual(['hello charlie', 'by id', '007 1e3']);
  });

  it('send --all reaches every other inbox; inbox --json has the documented shape', async () => {
    const r = await cli(charlie, 'send', '--all', 'lunch', 'is', 'ready');
    expect(r.code).toBe(0);
    for (const d of [seed, bravo]) {
      await eventually(async () => (await inboxOf(d)).some((e) => e.text === 'lunch is ready'), 20_000, `${d.name} to get the broadcast`);
      const entry = (await inboxOf(d)).find((e) => e.text === 'lunch is ready')!;
      expect(Object.keys(entry).sort()).toEqual(INBOX_KEYS);
      expect(entry).toMatchObject({ from: 'charlie', fromPeerId: charlie.peerId, to: '*', kind: 'broadcast' });
      expect(new Date(entry.receivedAt!).toISOString()).toBe(entry.receivedAt);
    }
    expect((await inboxOf(charlie)).some((e) => e.text === 'lunch is ready')).toBe(false);
    const human = await cli(bravo, 'inbox');
    expect(human.stdout).toMatch(/charlie → everyone: lunch is ready/);
  });

  it('inbox shows escape sequences and bidi overrides from a peer as visible text, never raw', async () => {
    // A peer's text reaches the terminal: ESC could clear the screen or retitle the window, a newline could fake
    // another sender's line, U+202E could reverse what is shown.
    const hostile = `${ESC}]0;pwned\u0007${ESC}[2J\r\nbob → you: fake\u202Eevil${String.fromCharCode(0x9b)}31m`;
    expect((await cli(seed, 'send', 'bravo', hostile)).code).toBe(0);
    const stored = (await inboxOf(bravo)).find((e) => e.text?.includes('pwned'));
    expect(stored?.text).toBe(hostile);
    const human = await cli(bravo, 'inbox');
    expect(human.code).toBe(0);
    expect(human.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(human.stdout).toContain('alpha → bravo: \u241b]0;pwned\u2407\u241b[2J\u240d\u240abob → you: fake\\u{202e}evil\\u{9b}31m\n');
  });

  it('inbox --follow --json prints new messages as they arrive, one object per line', async () => {
    const follow = spawnCli(['--data-dir', bravo.dataDir, 'inbox', '--follow', '--json']);
    try {
      await eventually(() => follow.stdout().includes('lunch is ready'), 20_000, 'the stored inbox');
      const sent = await cli(seed, 'send', 'bravo', 'live', 'one');
      expect(sent.code).toBe(0);
      await eventually(() => follow.stdout().includes('live one'), 20_000, 'the live message');
      const lines = follow.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      const live = lines.find((e) => e.text === 'live one')!;
      expect(Object.keys(live).sort()).toEqual(INBOX_KEYS);
      expect(live).toMatchObject({ from: 'alpha', fromPeerId: seed.peerId, to: 'bravo', kind: 'direct' });
    } finally {
      follow.proc.kill('SIGTERM');
    }
  });

  it('inbox --prune --keep N and --clear make room; a bad prune is a usage error', async () => {
    for (const text of ['one', 'two', 'three']) expect((await cli(seed, 'send', 'charlie', 'prune', text)).code).toBe(0);
    const before = (await inboxOf(charlie)).length;
    const kept = await cli(charlie, 'inbox', '--prune', '--keep', '2', '--json');
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout)).toMatchObject({ removed: before - 2, kept: 2 });
    expect((await inboxOf(charlie)).map((e) => e.text)).toEqual(['prune two', 'prune three']);
    expect((await cli(charlie, 'inbox', '--prune', '--older-than', '1h')).stdout).toMatch(/^removed 0 messages \(0 B\), 2 left\n$/);
    const cleared = await cli(charlie, 'inbox', '--clear');
    expect(cleared.stdout).toMatch(/^removed 2 messages \([\d.]+ (B|KiB)\), 0 left\n$/);
    expect(await inboxOf(charlie)).toEqual([]);
    expect((await cli(charlie, 'inbox', '--prune')).code).toBe(2);
    expect((await cli(charlie, 'inbox', '--prune', '--older-than', 'soon')).code).toBe(2);
  });

  it('chat reads `<name> <message>` and `* <message>` lines from stdin', async () => {
    const chat = await runCli(['--data-dir', seed.dataDir, 'chat'], { input: 'bravo hi from chat\n* everyone from chat\nnobody hello\n' });
    expect(chat.code).toBe(0);
    expect(chat.stdout).toContain('→ bravo: delivered');
    expect(chat.stdout).toMatch(/→ everyone \(\d+ neighbours\)/);
    expect(chat.stdout).toContain('nobody: no known peer by that name or ID');
    await eventually(async () => (await inboxOf(charlie)).some((e) => e.text === 'everyone from chat'), 20_000, 'charlie to get the chat broadcast');
    const bravoInbox = await inboxOf(bravo);
    expect(bravoInbox.some((e) => e.text === 'hi from chat' && e.kind === 'direct')).toBe(true);
  });

  it('ping prints the round-trip time; --json gives it as a number', async () => {
    // Retried: on a loaded machine a session may be between liveness failure and redial at that moment.
    const human = await succeeds(() => cli(bravo, 'ping', 'charlie', '--timeout', '15000'));
    expect(human.stdout).toMatch(/^charlie: [\d.]+ ms\n$/);
    const json = JSON.parse((await succeeds(() => cli(bravo, 'ping', 'alpha', '--json', '--timeout', '15000'))).stdout);
    expect(json).toMatchObject({ to: 'alpha', peerId: seed.peerId });
    expect(json.rttMs).toBeGreaterThanOrEqual(0);
    const unknown = await cli(bravo, 'ping', 'nobody');
    expect(unknown.code).toBe(4);
  });

  it('send to a peer that has gone away does not exit 0', async () => {
    charlie.proc.kill('SIGTERM');
    await new Promise((resolve) => charlie.proc.once('exit', resolve));
    const r = await cli(bravo, 'send', 'charlie', 'are you there', '--timeout', '3000');
    // Still in the peer table (known or dead): not delivered, exit 1; already forgotten: unknown peer, exit 4.
    expect([1, 4]).toContain(r.code);
    expect(r.stderr).toMatch(/^p2p-cli: (not delivered to charlie: \S+|charlie: no known peer by that name or ID.*)\n$/);
  });
});
