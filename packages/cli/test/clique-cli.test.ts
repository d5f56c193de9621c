// p2p-cli clique join|who|send against two p2pd servers on loopback.
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, eventually, killAll, P2P_CLI, runCli, startDaemon, tempDir } from './processes.js';

afterAll(() => killAll());

describe('p2p-cli clique', () => {
  it('join (scripted, --json), who, and send with its exit codes', async () => {
    const flags = ['--role', 'server', '--listen', '127.0.0.1:0', '--clique-listen', '127.0.0.1:0', '--no-lan'];
    const a = await startDaemon('srv-a', flags);
    const b = await startDaemon('srv-b', [...flags, '--clique', a.listen]);
    const home = await tempDir();
    const cli = (args: string[], input?: string) => runCli(['--data-dir', home, 'clique', ...args], { input });

    // alice stays on a (stdin held open), printing what she receives as JSON lines.
    const alice = spawn(process.execPath, [P2P_CLI, '--data-dir', home, 'clique', 'join', '--server', a.clique!, '--server', b.clique!, '--name', 'alice', '--json'],
      { env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let aliceOut = '';
    alice.stdout.on('data', (d) => (aliceOut += d));
    try {
      await eventually(async () => {
        const who = await cli(['who', '--server', b.clique!, '--json']);
        return who.code === 0 && (JSON.parse(who.stdout) as { name: string }[]).some((e) => e.name === 'alice');
      }, 45_000, 'alice visible from srv-b');
      const who = await cli(['who', '--server', b.clique!, '--json']);
      expect(JSON.parse(who.stdout)).toEqual([expect.objectContaining({ name: 'alice', server: 'srv-a' })]);
      expect((await cli(['who', '--server', b.clique!, '--max-names', '1', '--json'])).stdout).toBe(who.stdout);
      expect((await cli(['who', '--server', b.clique!, '--max-names', '0'])).code).toBe(2);
      // A look-alike of a held name is refused as taken, naming the name it looks like.
      const lookalike = await cli(['send', '--server', b.clique!, '--name', '\u0430lice', 'bob', 'hi']);
      expect(lookalike.code).toBe(5);
      expect(lookalike.stderr).toMatch(/looks like 'alice'/);

      const sent = await cli(['send', '--server', b.clique!, '--name', 'bob', 'alice', 'hello', 'alice']);
      expect(sent).toMatchObject({ code: 0 });
      expect((await cli(['send', '--server', b.clique!, '--name', 'bob', 'nobody', 'hi'])).code).toBe(4);
      const taken = await cli(['send', '--server', b.clique!, '--name', 'ALICE', 'bob', 'hi', '--json']);
      expect(taken.code).toBe(5);
      expect(JSON.parse(taken.stderr)).toMatchObject({ error: { code: 'ERR_CLIQUE_NAME_TAKEN' } });
      expect((await cli(['send', '--server', '127.0.0.1:1', '--name', 'carol', 'alice', 'hi'])).code).toBe(3);

      // A scripted join: lines from stdin, then it leaves when stdin ends.
      const carol = await cli(['join', '--server', b.clique!, '--name', 'carol'], 'alice hi from carol\n* hello everyone\n/who\n');
      expect(carol.code).toBe(0);
      expect(carol.stdout).toMatch(/→ alice: delivered/);
      expect(carol.stdout).toMatch(/alice\s+srv-a/);

      await eventually(() => aliceOut.trim().split('\n').length >= 3, 15_000, 'alice\'s three lines');
      const lines = aliceOut.trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
      expect(lines.map(({ from, to, text }) => ({ from, to, text }))).toEqual([
        { from: 'bob', to: 'alice', text: 'hello alice' },
        { from: 'carol', to: 'alice', text: 'hi from carol' },
        { from: 'carol', to: '*', text: 'hello everyone' },
      ]);
      expect(Object.keys(lines[0]!).sort()).toEqual(['from', 'receivedAt', 'text', 'to']);
    } finally {
      alice.kill('SIGKILL');
      a.proc.kill('SIGKILL');
      b.proc.kill('SIGKILL');
    }
  });
});
