// Names bound to keys and safe output, end to end: real p2pd processes on loopback driven by the built p2p-cli, plus
// an in-process node that writes what a hostile peer would (validly signed, with escape sequences in name and text).
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createNode, peerIdFromString, broadcastSignedBytes, type NodeExtensions, type P2PNode, type p2p } from '@p2p/core';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, killAll, runCli, startDaemon, tempDir, type Daemon } from './processes.js';

afterAll(killAll);

// Any byte a terminal could act on: C0 controls, DEL, C1 controls (CSI is U+009B), bidi overrides, line separators.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
const cli = (d: Daemon, ...args: string[]) => runCli(['--data-dir', d.dataDir, ...args]);
const json = <T>(s: string) => JSON.parse(s) as T;
const connectedTo = async (d: Daemon, n: number) => {
  await eventually(async () => {
    const r = await cli(d, 'peers', '--json');
    return r.code === 0 && json<{ state: string }[]>(r.stdout).filter((p) => p.state === 'connected').length >= n;
  }, 45_000, `${d.name} to have ${n} peers`);
};
const inboxTexts = async (d: Daemon) => json<{ text: string; from: string; kind: string }[]>((await cli(d, 'inbox', '--json')).stdout);

describe('names bound to keys (trust on first use)', () => {
  it('send bob reaches the first bob only, online or offline; another bob is shown apart; ambiguity exits 6', async () => {
    const alice = await startDaemon('alice', ['--listen', '127.0.0.1:0', '--no-lan', '--role', 'seed']);
    const bob = await startDaemon('bob', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', alice.listen]);
    await connectedTo(alice, 1);
    // First exchange binds the name bob to bob's key.
    expect((await cli(alice, 'send', 'bob', 'hello bob')).code).toBe(0);
    const contacts = json<{ name: string; peerId: string; pinned: boolean }[]>((await cli(alice, 'contacts', '--json')).stdout);
    expect(contacts).toEqual([expect.objectContaining({ name: 'bob', peerId: bob.peerId, pinned: false })]);

    // A newcomer calls itself bob too.
    const impostor = await startDaemon('bob', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', alice.listen]);
    await connectedTo(alice, 2);
    const peers = json<{ name: string; peerId: string }[]>((await cli(alice, 'peers', '--json')).stdout);
    expect(peers.find((p) => p.peerId === bob.peerId)?.name).toBe('bob');
    expect(peers.find((p) => p.peerId === impostor.peerId)?.name).toBe(`bob~${impostor.peerId.slice(0, 4)}`);
    const online = await cli(alice, 'send', 'bob', 'only for the first bob');
    expect(online.code).toBe(0);
    expect(json<{ peerId: string }>((await cli(alice, 'send', 'bob', 'again', '--json')).stdout).peerId).toBe(bob.peerId);

    // The first bob goes away: `send bob` is not delivered, and never goes to the other one.
    bob.proc.kill('SIGTERM');
    await eventually(async () => !json<{ peerId: string; state: string }[]>((await cli(alice, 'peers', '--json')).stdout)
      .some((p) => p.peerId === bob.peerId && p.state === 'connected'), 30_000, 'bob to leave');
    const offline = await cli(alice, 'send', 'bob', 'while you were away', '--timeout', '3000');
    expect(offline.code).toBe(1);
    expect(await inboxTexts(impostor)).toEqual([]);
    // The other bob is reachable by its label, and by a unique peer ID prefix (ping too).
    expect((await cli(alice, 'send', `bob~${impostor.peerId.slice(0, 4)}`, 'hi other bob')).code).toBe(0);
    expect((await cli(alice, 'ping', impostor.peerId.slice(0, 8))).code).toBe(0);
    expect((await inboxTexts(impostor)).map((m) => m.text)).toEqual(['hi other bob']);

    // Two unpinned daves: the name is refused with both candidates and exit 6, until one is pinned.
    const dave1 = await startDaemon('dave', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', alice.listen]);
    const dave2 = await startDaemon('dave', ['--listen', '127.0.0.1:0', '--no-lan', '--seed', alice.listen]);
    await connectedTo(alice, 3);
    const amb = await cli(alice, 'send', 'dave', 'which one?');
    expect(amb.code).toBe(6);
    expect(amb.stderr).toContain(`dave~${dave1.peerId.slice(0, 4)}`);
    expect(amb.stderr).toContain(`dave~${dave2.peerId.slice(0, 4)}`);
    expect((await cli(alice, 'contacts', 'pin', `dave~${dave2.peerId.slice(0, 4)}`, 'dave')).code).toBe(0);
    expect(json<{ peerId: string }>((await cli(alice, 'send', 'dave', 'you are dave', '--json')).stdout).peerId).toBe(dave2.peerId);
    expect((await cli(alice, 'contacts', 'rename', 'dave', 'dave-two')).code).toBe(0);
    expect((await cli(alice, 'contacts', 'forget', 'dave-two')).code).toBe(0);
    expect(json<{ name: string }[]>((await cli(alice, 'contacts', '--json')).stdout).map((c) => c.name)).toEqual(['bob']);
    expect((await cli(alice, "send", "dave", "ambiguous again")).code).toBe(6);
    alice.proc.kill('SIGTERM');
  }, 240_000);
});

describe('safe output', () => {
  it('escape sequences in names and texts from the network never reach the terminal', async () => {
    const alice = await startDaemon('alice', ['--listen', '127.0.0.1:0', '--no-lan']);
    const dir = await tempDir();
    const mallory = createNode({ dataDir: dir, name: 'mallory', listen: { host: '127.0.0.1', port: 0 }, lan: { enabled: false } }) as P2PNode & NodeExtensions;
    await mallory.start();
    try {
      const [host, port] = [alice.listen.slice(0, alice.listen.lastIndexOf(':')), Number(alice.listen.slice(alice.listen.lastIndexOf(':') + 1))];
      await mallory.connect({ host, port });
      // Validly signed by mallory, as herself: only the name and text inside are hostile.
      const hostile = '\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\u009b31m\u202eevil\ninjected line';
      const b: p2p.v1.IBroadcast = {
        messageId: randomBytes(16), origin: peerIdFromString(mallory.peerId), maxHops: 4,
        chat: { text: `look ${hostile}`, fromName: `mal${hostile}`, sentAtMs: Date.now() },
      };
      expect(mallory.sendEnvelope(alice.peerId, { broadcast: { ...b, authorKey: mallory.signer.publicKey, signature: mallory.signer.sign(broadcastSignedBytes(b)) } })).toBe(true);
      await mallory.send(alice.peerId, `direct ${hostile}`);
      await eventually(async () => (await inboxTexts(alice)).length === 2, 30_000, 'both messages stored');
      for (const args of [['inbox'], ['inbox', '--json'], ['peers'], ['peers', '--json'], ['contacts'], ['contacts', '--json']]) {
        const r = await cli(alice, ...args);
        expect(r.code, args.join(' ')).toBe(0);
        expect(UNSAFE.test(r.stdout), `${args.join(' ')}: ${JSON.stringify(r.stdout)}`).toBe(false);
      }
      const shown = (await cli(alice, 'inbox')).stdout;
      expect(shown).toContain('\u241b]0;pwned\u2407');
      expect(shown.split('\n').filter((l) => l.includes('injected line'))).toHaveLength(2); // each on its message's line
      // --json keeps the text itself for programs.
      expect((await inboxTexts(alice)).map((m) => m.text).sort()).toEqual([`direct ${hostile}`, `look ${hostile}`]);
    } finally {
      await mallory.stop();
      await rm(dir, { recursive: true, force: true });
      alice.proc.kill('SIGTERM');
    }
  }, 120_000);
});
