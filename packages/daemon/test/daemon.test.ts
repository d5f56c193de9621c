import { appendFile, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controlCall, eventually, freeUdpPort, killAll, runP2pd, startP2pd, tempDir, type DaemonProcess,
} from './daemon-process.js';

afterAll(killAll);

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('p2pd refuses a bad configuration with one line and exit code 2', () => {
  it('an unknown flag', async () => {
    const r = await runP2pd(['--bogus']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(/^p2pd: Unknown argument: bogus/);
  });

  it('a flag given without its value', async () => {
    for (const flag of ['--name', '--listen', '--config']) {
      const r = await runP2pd(['--data-dir', await tempDir(), flag]);
      expect(r.code, flag).toBe(2);
      expect(oneLine(r.stderr)).toBe(`p2pd: Not enough arguments following: ${flag.slice(2)}`);
    }
  });

  it('a bad address, a bad mask, a role that does not exist, clique options without role server', async () => {
    for (const [args, pattern] of [
      [['--listen', '127.0.0.1'], /^p2pd: --listen: "127.0.0.1" is not HOST:PORT$/],
      [['--seed', '127.0.0.1:99999'], /^p2pd: --seed: .*port/],
      [['--mask', '255.0.255.0'], /^p2pd: --mask: .*contiguous/],
      [['--role', 'relay'], /^p2pd: --role: "relay" is not a role/],
      [['--clique', '127.0.0.1:7070'], /^p2pd: --clique: clique options need --role server$/],
      [['--role', 'server', '--clique-allow', 'nope'], /^p2pd: --clique-allow: "nope" is not a peer ID/],
      [['--interface', '10.255.255.1'], /^p2pd: --interface: no local interface has the address 10.255.255.1$/],
    ] as const) {
      const r = await runP2pd(['--data-dir', await tempDir(), ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(pattern);
    }
  });

  it('an unknown key in the config file, and a bad P2P_ variable', async () => {
    const dir = await tempDir();
    const file = join(dir, 'p2pd.json');
    await writeFile(file, JSON.stringify({ listen: '127.0.0.1:0', lisen: '127.0.0.1:1' }));
    const r = await runP2pd(['--config', file, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`p2pd: unknown option "lisen" in ${file}`);
    const env = await runP2pd(['--data-dir', dir, '--check-config'], { ...process.env, P2P_LISTEN: 'here', NOTIFY_SOCKET: '' });
    expect(env.code).toBe(2);
    expect(oneLine(env.stderr)).toMatch(/^p2pd: P2P_LISTEN: /);
  });

  it('a key that is not the peer ID the config file expects', async () => {
    const dir = await tempDir();
    const first = await startP2pd(['--listen', '127.0.0.1:0', '--no-lan'], dir);
    expect(await first.stop()).toBe(0);
    const other = first.ready.peerId.startsWith('a') ? `b${first.ready.peerId.slice(1)}` : `a${first.ready.peerId.slice(1)}`;
    const file = join(dir, 'p2pd.json');
    await writeFile(file, JSON.stringify({ peerid: other, listen: '127.0.0.1:0', lan: false }));
    const r = await runP2pd(['--config', file, '--data-dir', dir]);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^p2pd: expected peer ${other}, got ${first.ready.peerId}`));
  });

  it('a data directory that is not a directory', async () => {
    const file = join(await tempDir(), 'not-a-dir');
    await writeFile(file, 'x');
    const r = await runP2pd(['--data-dir', file, '--listen', '127.0.0.1:0', '--no-lan']);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`p2pd: data directory ${file}: is not a directory`);
  });

  it('--check-config checks without starting or creating anything', async () => {
    const dir = join(await tempDir(), 'new');
    const r = await runP2pd(['--check-config', '--data-dir', dir, '--listen', '127.0.0.1:0', '--seed', '127.0.0.1:7070', '--seed', '127.0.0.1:7071']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^config ok/);
    const shown = JSON.parse(r.stdout.slice(r.stdout.indexOf('\n')));
    expect(shown).toMatchObject({ dataDir: dir, listen: '127.0.0.1:0', seeds: ['127.0.0.1:7070', '127.0.0.1:7071'], role: 'peer' });
    await expect(stat(dir)).rejects.toThrow();
    const bad = await runP2pd(['--check-config', '--data-dir', dir, '--discovery-port', '0']);
    expect(bad.code).toBe(2);
  });
});

describe('three daemons on loopback', () => {
  let discoveryPort: number;
  const nodes: DaemonProcess[] = [];
  const start = (name: string, extra: string[] = [], dataDir?: string) =>
    startP2pd([
      '--name', name, '--listen', '127.0.0.1:0', '--interface', '127.0.0.1', '--mask', '255.0.0.0',
      '--discovery-port', String(discoveryPort), ...extra,
    ], dataDir);
  const connectedNames = async (d: DaemonProcess) => {
    const [r] = await controlCall(d.ready.socket, { peers: {} });
    return (r?.peers?.peers ?? []).filter((p) => p.state === 'connected').map((p) => p.name).sort();
  };

  beforeAll(async () => {
    discoveryPort = await freeUdpPort();
    nodes.push(await start('alpha', ['--metrics', '127.0.0.1:0']), await start('bravo'), await start('charlie'));
  });

  it('find each other through LAN discovery bound to 127.0.0.1', async () => {
    const expected = [['bravo', 'charlie'], ['alpha', 'charlie'], ['alpha', 'bravo']];
    for (const [i, d] of nodes.entries()) {
      await eventually(async () => JSON.stringify(await connectedNames(d)) === JSON.stringify(expected[i]), 30_000, `${d.ready.name} to see the others`);
    }
    const [status] = await controlCall(nodes[0]!.ready.socket, { status: {} });
    expect(status!.status).toMatchObject({ name: 'alpha', role: 'peer', peers: 2, protocol: 1, peerId: nodes[0]!.ready.peerId });
    expect((await stat(nodes[0]!.ready.socket)).mode & 0o777).toBe(0o600);
  });

  it('delivers a direct message into the recipient\'s durable inbox', async () => {
    const [r] = await controlCall(nodes[1]!.ready.socket, { send: { to: 'alpha', text: 'hello alpha' } });
    expect(r!.send).toMatchObject({ delivered: true, status: 'delivered', peerId: nodes[0]!.ready.peerId });
    // The acknowledgement leaves when the node has the message; the inbox's fsync follows a moment later.
    await eventually(async () => (await readFile(join(nodes[0]!.dataDir, 'inbox.jsonl'), 'utf8')).includes('hello alpha'), 10_000, 'the inbox write');
    const inbox = await controlCall(nodes[0]!.ready.socket, { inbox: {} }, (rs) => rs.some((x) => x.inboxEnd));
    expect(inbox[0]!.inboxEntry).toMatchObject({ from: 'bravo', fromPeerId: nodes[1]!.ready.peerId, to: 'alpha', kind: 'direct', text: 'hello alpha' });
  });

  it('refuses a chat text over 64 KiB by name: TOO_LARGE, "refused: too large", never delivered', async () => {
    const [r] = await controlCall(nodes[1]!.ready.socket, { send: { to: 'alpha', text: 'é'.repeat(40_000) } });
    expect(r!.send).toBeFalsy();
    expect(r!.error).toMatchObject({ code: 'TOO_LARGE' });
    expect(r!.error!.message).toMatch(/refused: too large/);
  });

  it('serves Prometheus metrics on 127.0.0.1', async () => {
    const url = `http://${nodes[0]!.ready.metrics}/metrics`;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(url)).text();
    expect(text).toContain('p2p_peers{state="connected"} 2');
    expect(text).toMatch(/p2p_bytes_received_total [1-9]/);
    expect(text).toMatch(/p2p_messages_delivered_total\{kind="direct"\} 1/);
    expect(text).toContain('# TYPE p2p_frames_dropped_total counter');
    expect(text).toContain('# TYPE p2p_ping_rtt_seconds histogram');
    expect(text).toMatch(/^p2p_build_info\{version="0\.1\.0",nodejs="[\d.]+"\} 1$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    // Prometheus conventions: every counter is named _total, and no label carries a peer ID.
    for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) if (type === 'counter') expect(name).toMatch(/_total$/);
    for (const node of nodes) expect(text).not.toContain(node.ready.peerId);
    const health = await fetch(`http://${nodes[0]!.ready.metrics}/healthz`);
    expect([health.status, await health.text()]).toEqual([200, 'ok\n']);
  });

  it('refuses a second daemon on the same data directory (exit 1)', async () => {
    const r = await runP2pd(['--data-dir', nodes[0]!.dataDir, '--listen', '127.0.0.1:0', '--no-lan']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`p2pd: another p2pd is already running on ${nodes[0]!.ready.socket}`);
  });

  it('says in one line (exit 1) when the listen port is taken', async () => {
    const r = await runP2pd(['--data-dir', await tempDir(), '--listen', nodes[1]!.ready.listen, '--no-lan']);
    expect(r.code).toBe(1);
    expect(oneLine(r.stderr)).toMatch(/^p2pd: cannot (start the node|listen).*(EADDRINUSE|in use)/);
  });

  it('stops cleanly on SIGTERM and comes back with the same peer ID and inbox', async () => {
    const alpha = nodes[0]!;
    const began = Date.now();
    expect(await alpha.stop('SIGTERM')).toBe(0);
    const tookMs = Date.now() - began;
    expect(alpha.lines.some((l) => l.includes('"stopped"'))).toBe(true);
    await expect(stat(alpha.ready.socket)).rejects.toThrow();
    const again = await start('alpha', [], alpha.dataDir);
    nodes[0] = again;
    expect(again.ready.peerId).toBe(alpha.ready.peerId);
    const inbox = await controlCall(again.ready.socket, { inbox: {} }, (rs) => rs.some((x) => x.inboxEnd));
    expect(inbox.map((x) => x.inboxEntry?.text).filter(Boolean)).toEqual(['hello alpha']);
    // Logged rather than asserted: wall-clock budgets do not belong in assertions on a shared machine.
    console.log(`p2pd shut down in ${tookMs} ms (SIGTERM to exit)`);
  });

  it('survives kill -9: stale socket replaced, torn last inbox record skipped', async () => {
    const alpha = nodes[0]!;
    await eventually(async () => (await connectedNames(alpha)).length === 2, 30_000, 'alpha to reconnect');
    const [sent] = await controlCall(nodes[2]!.ready.socket, { send: { to: 'alpha', text: 'second' } });
    expect(sent!.send!.delivered).toBe(true);
    // "Delivered" is only answered once the record is fsync'd, so a kill -9 right after it loses nothing.
    expect(await alpha.stop('SIGKILL')).toBe('SIGKILL');
    await appendFile(join(alpha.dataDir, 'inbox.jsonl'), '0123456789abcdef {"id":"torn","fr');
    const again = await start('alpha', [], alpha.dataDir);
    nodes[0] = again;
    expect(again.ready.peerId).toBe(alpha.ready.peerId);
    expect(again.lines.some((l) => l.includes('inbox: skipping a torn last record'))).toBe(true);
    const inbox = await controlCall(again.ready.socket, { inbox: {} }, (rs) => rs.some((x) => x.inboxEnd));
    expect(inbox.map((x) => x.inboxEntry?.text).filter(Boolean)).toEqual(['hello alpha', 'second']);
    await eventually(async () => (await connectedNames(again)).length === 2, 30_000, 'alpha to reconnect');
  });

  it('answers a malformed control request with a ControlError and keeps serving', async () => {
    const { connect } = await import('node:net');
    const socket = connect(nodes[1]!.ready.socket);
    const reply = await new Promise<Buffer>((resolve, reject) => {
      socket.on('connect', () => socket.write(Buffer.from([0x03, 0xff, 0xff, 0xff])));
      socket.once('data', resolve);
      socket.on('error', reject);
    });
    socket.destroy();
    expect(reply.toString('latin1')).toContain('BAD_REQUEST');
    const [r] = await controlCall(nodes[1]!.ready.socket, { status: {} });
    expect(r!.status!.name).toBe('bravo');
  });
});


describe('p2pd --insecure', () => {
  it('warns at start that authenticity is off', async () => {
    const d = await startP2pd(['--insecure', '--listen', '127.0.0.1:0', '--no-lan']);
    const warning = d.lines.map((l) => JSON.parse(l.replace(/^<\d>/, '')) as { level: number | string; msg: string }).find((l) => l.msg.startsWith('insecure mode'));
    expect(['warn', 40]).toContain(warning?.level);
    expect(warning?.msg).toMatch(/prove no identity/);
    expect(await d.stop()).toBe(0);
  });
});
