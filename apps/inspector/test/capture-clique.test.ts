// Clique traffic in a capture: a client's session with its server and a line relayed between two servers, shown
// and filtered per client name.
import { join } from 'node:path';
import { encodeBurstBody } from '@p2p/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureTraffic } from './helpers/tcpdump.js';
import { freePort, hello, makePeer, plainSession } from './helpers/traffic.js';
import { runCliProcess, tempDir } from './helpers/inspect.js';

const alicePeer = makePeer('alice');
const srvA = makePeer('srv-a');
const srvB = makePeer('srv-b');
const id = (n: number) => Buffer.alloc(16, n);
// A burst: three lines from dave to alice under one signature, carried as one message.
const burst = { clique: { lines: { batchId: id(9), from: 'dave', to: 'alice', body: encodeBurstBody([1, 2, 3].map((n) => ({ text: `line ${n}`, sentAtMs: 1_700_000_000_000 + n }))) } } };
const line = (n: number, from: string, to: string, text: string) => ({ clique: { message: { messageId: id(n), from, to, chat: { text, fromName: from, sentAtMs: 1_700_000_000_000 + n } } } });

describe('clique traffic per client name', () => {
  const file = join(tempDir(), 'clique.pcap');

  beforeAll(async () => {
    const [clientPort, serverPort] = [await freePort(), await freePort()];
    await captureTraffic(file, `tcp port ${clientPort} or tcp port ${serverPort}`, async () => {
      // alice's session with srv-a: register, a line to bob, the delivery report, a line from carol to everyone.
      await plainSession(clientPort, {
        client: [hello(alicePeer, 0), { clique: { clientRegister: { name: 'alice' } } }, line(1, 'alice', 'bob', 'hi bob')],
        server: [hello(srvA, clientPort), { clique: { clientRegistered: { name: 'alice', online: 3 } } },
          { clique: { deliveryReport: { messageId: id(1), status: 1, delivered: 1 } } }, line(2, 'carol', '*', 'hello all'), burst],
      });
      // srv-a relays alice's line to srv-b, which holds bob.
      await plainSession(serverPort, {
        client: [hello(srvA, clientPort), line(1, 'alice', 'bob', 'hi bob')],
        server: [hello(srvB, serverPort), { clique: { deliveryReport: { messageId: id(1), status: 1, delivered: 1 } } }],
      });
    });
  });

  it('names the clique operation, finds relayed lines by client name, and counts per client', async () => {
    const table = await runCliProcess([file, '--type', 'clique']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/clique\.clientRegister/);
    expect(table.stdout).toMatch(/clique\.message/);

    const bob = await runCliProcess([file, '--json', '--peer', 'bob']);
    const rows = bob.stdout.trim().split('\n').map((l) => JSON.parse(l) as { clique: { op: string; clients: string[] }; src: { name?: string } });
    // bob has no session in the capture: both copies of the line to him are found by his name alone.
    expect(rows.map((r) => [r.clique.op, r.src.name])).toEqual([['message', 'alice'], ['message', 'srv-a']]);
    expect(rows[0]!.clique.clients).toEqual(['alice', 'bob']);

    const only = await runCliProcess([file, '--json', '--type', 'clique.deliveryReport']);
    expect(only.stdout.trim().split('\n')).toHaveLength(2);

    const dave = await runCliProcess([file, '--json', '--peer', 'dave']);
    const daves = dave.stdout.trim().split('\n').map((l) => JSON.parse(l) as { clique: unknown; fields: { lines: { body: unknown } } });
    expect(daves.map((r) => r.clique)).toEqual([{ op: 'lines', clients: ['dave', 'alice'], lines: 3 }]);
    // The signed body is shown as the lines it holds.
    expect(daves[0]!.fields.lines.body).toMatchObject({ lines: [1, 2, 3].map((n) => ({ text: `line ${n}`, sentAtMs: 1_700_000_000_000 + n })) });

    const stats = JSON.parse((await runCliProcess([file, '--stats', '--json'])).stdout) as { byClient: Record<string, unknown> };
    expect(stats.byClient).toEqual({
      alice: { linesFrom: 2, linesTo: 3, other: 2 },
      bob: { linesFrom: 0, linesTo: 2, other: 0 },
      carol: { linesFrom: 1, linesTo: 0, other: 0 },
      dave: { linesFrom: 3, linesTo: 0, other: 0 },
    });
    expect((await runCliProcess([file, '--stats'])).stdout).toMatch(/Clique traffic per client name/);
  });
});
