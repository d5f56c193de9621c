import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeInboxRecord } from '../src/inbox/inbox-record.js';
import { cleanEnv, controlCall, eventually, killAll, P2PD, runP2pd, startP2pd, tempDir } from './daemon-process.js';

afterAll(killAll);

const loopback = ['--listen', '127.0.0.1:0', '--no-lan'];
const parsed = (lines: string[]) => lines.flatMap((l) => {
  try {
    return [JSON.parse(l) as Record<string, unknown>];
  } catch {
    return [];
  }
});

describe('p2pd --check-config --json', () => {
  it('prints one JSON object and nothing else; a refusal is one JSON object on stderr', async () => {
    const dir = await tempDir();
    const ok = await runP2pd(['--check-config', '--json', '--data-dir', dir, ...loopback, '--socket-mode', '660'], cleanEnv({ P2P_NOPE: '1' }));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    const out = JSON.parse(ok.stdout);
    expect(out).toMatchObject({ ok: true, configFile: null, config: { dataDir: dir, listen: '127.0.0.1:0', lan: false, socketMode: '0660' } });
    expect(out.warnings).toEqual(['ignoring unknown environment variable P2P_NOPE']);
    const bad = await runP2pd(['--check-config', '--json', '--data-dir', dir, '--listen', 'nowhere']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(JSON.parse(bad.stderr)).toEqual({ error: { code: 'ERR_CONFIG_INVALID_VALUE', message: '--listen: "nowhere" is not HOST:PORT' } });
  });

  it('p2pd completion prints a script, and p2pd --version its version', async () => {
    const completion = await runP2pd(['completion']);
    expect(completion.code).toBe(0);
    expect(completion.stdout).toContain('p2pd --get-yargs-completions');
    const words = await runP2pd(['--get-yargs-completions', 'p2pd', '--']);
    expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['--listen', '--socket', '--check-config']));
    expect((await runP2pd(['--version'])).stdout.trim()).toBe('0.1.0');
  });
});

describe('logs', () => {
  it('name their level, and carry journald priorities when stdout is the journal', async () => {
    const plain = await startP2pd(loopback);
    expect(parsed(plain.lines).find((l) => l.msg === 'p2pd ready')!.level).toBe('info');
    expect(await plain.stop()).toBe(0);
    // JOURNAL_STREAM names another stream than stdout (inherited, then redirected): no prefixes.
    const redirected = await startP2pd(loopback, undefined, cleanEnv({ JOURNAL_STREAM: '8:12345' }));
    expect(redirected.lines.every((l) => l.startsWith('{"level":'))).toBe(true);
    expect(await redirected.stop()).toBe(0);
    // stdout is the stream JOURNAL_STREAM names (its device and inode), as when systemd connects it to the journal.
    const dir = await tempDir();
    const out = join(dir, 'journal-stream');
    const fd = openSync(out, 'w');
    const { dev, ino } = fstatSync(fd);
    const proc = spawn(process.execPath, [P2PD, '--data-dir', dir, '--log-level', 'debug', ...loopback], {
      env: cleanEnv({ JOURNAL_STREAM: `${dev}:${ino}` }), stdio: ['ignore', fd, 'pipe'],
    });
    closeSync(fd);
    const text = () => readFileSync(out, 'utf8');
    await eventually(() => text().includes('"p2pd ready"'), 30_000, 'p2pd ready');
    const socket = JSON.parse(text().split('\n').find((l) => l.includes('"p2pd ready"'))!.slice(3)).socket as string;
    expect((await controlCall(socket, { status: {} }))[0]!.status).toBeTruthy();
    // A reload logs the new configuration at debug level.
    proc.kill('SIGHUP');
    await eventually(() => text().includes('"configuration reloaded"'), 20_000, 'the reload');
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = text().trim().split('\n');
    for (const line of lines) expect(line).toMatch(/^<[2-7]>\{"level":"(fatal|error|warn|info|debug|trace)"/);
    expect(lines.find((l) => l.includes('"p2pd ready"'))).toMatch(/^<6>\{"level":"info"/);
    expect(lines.some((l) => l.startsWith('<7>{"level":"debug"'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^<6>.*"stopped"/);
  });
});

describe('SIGHUP', () => {
  it('reloads the configuration file instead of stopping, and says what needs a restart', async () => {
    const dir = await tempDir();
    const file = join(dir, 'p2pd.json');
    await writeFile(file, JSON.stringify({ name: 'before', logLevel: 'info', listen: '127.0.0.1:0', lan: false }));
    const d = await startP2pd(['--config', file], dir, undefined, { logLevelFromConfig: true });
    expect(d.ready.name).toBe('before');
    expect(d.lines.some((l) => l.includes('"level":"debug"'))).toBe(false);
    await writeFile(file, JSON.stringify({ name: 'after', logLevel: 'debug', listen: '127.0.0.1:0', lan: false, socket: join(dir, 'elsewhere.sock') }));
    d.proc.kill('SIGHUP');
    await eventually(() => d.lines.some((l) => l.includes('"configuration reloaded"')), 20_000, 'the reload');
    const reloaded = parsed(d.lines).find((l) => l.msg === 'configuration reloaded')!;
    expect(reloaded).toMatchObject({ live: ['logLevel'], nodeRestarted: ['name'], needRestart: ['socket'] });
    expect(d.lines.some((l) => l.includes('socket changed but only apply after a restart of p2pd'))).toBe(true);
    // The new level is live: debug lines appear from the reload on.
    await eventually(() => d.lines.some((l) => l.includes('"level":"debug"')), 20_000, 'a debug line');
    const [status] = await controlCall(d.ready.socket, { status: {} });
    expect(status!.status).toMatchObject({ name: 'after', peerId: d.ready.peerId });
    expect(d.proc.exitCode).toBe(null);
    // A broken file is refused and the running configuration kept.
    await writeFile(file, '{nope');
    d.proc.kill('SIGHUP');
    await eventually(() => d.lines.some((l) => l.includes('reload failed: keeping the configuration that runs')), 20_000, 'the refused reload');
    expect((await controlCall(d.ready.socket, { status: {} }))[0]!.status!.name).toBe('after');
    expect(await d.stop('SIGTERM')).toBe(0);
  });
});

describe('SIGTERM', () => {
  it('stops cleanly with a large inbox, and says how long it took', async () => {
    // Baseline in the same run: the same stop with an empty inbox.
    const empty = await startP2pd(loopback);
    const emptyBegan = performance.now();
    expect(await empty.stop('SIGTERM')).toBe(0);
    const emptyMs = performance.now() - emptyBegan;
    const dir = await tempDir();
    const text = 'x'.repeat(1000);
    const lines: string[] = [];
    for (let i = 0; i < 30_000; i++) {
      lines.push(encodeInboxRecord({ id: `m${i}`, from: 'bob', fromPeerId: 'b', to: 'me', kind: 'direct', text, receivedAt: new Date(i).toISOString() }));
    }
    await writeFile(join(dir, 'inbox.jsonl'), lines.join(''), { mode: 0o600 });
    const d = await startP2pd(loopback, dir);
    const began = performance.now();
    expect(await d.stop('SIGTERM')).toBe(0);
    const tookMs = performance.now() - began;
    const logged = parsed(d.lines);
    expect(logged.some((l) => l.msg === 'shutting down' && l.signal === 'SIGTERM')).toBe(true);
    const stopped = logged.find((l) => l.msg === 'stopped' || l.msg === 'shutdown is taking too long: exiting now');
    expect(stopped).toBeDefined();
    // Measured, not asserted: a wall-clock budget does not belong in an assertion on a shared machine.
    console.log(`SIGTERM to exit with a 30,000-message (30 MB) inbox: ${tookMs.toFixed(0)} ms (p2pd's own count: ${String(stopped!.ms ?? 'deadline')} ms); with an empty inbox: ${emptyMs.toFixed(0)} ms`);
  });
});
