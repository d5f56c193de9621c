// Forged LAN announcements over real UDP on loopback: 20,000 datagrams with random peer IDs naming a third party's
// address. The victim dials only where datagrams come from, no faster than its cap for unproven addresses, keeps its
// table bounded, and still meets the honest node that joins meanwhile.
import dgram from 'node:dgram';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeDatagram } from '../src/framing/datagram.js';
import { Harness, waitFor } from './helpers.js';

const h = new Harness();
const servers: net.Server[] = [];
afterAll(async () => {
  await h.cleanup();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** A TCP listener that counts connections and drops each at once (so a dial there fails fast). */
async function counter(host: string, port: number): Promise<{ port: number; count: () => number }> {
  let n = 0;
  const server = net.createServer((s) => { n++; s.destroy(); });
  servers.push(server);
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, host, () => resolve()); });
  return { port: (server.address() as net.AddressInfo).port, count: () => n };
}

describe('LAN discovery under forged announcements', () => {
  it('dials only datagram sources, within the unproven-dial cap, keeps the table bounded, and still meets honest peers', async () => {
    const lanPort = 20000 + Math.floor(Math.random() * 20000);
    const lan = { enabled: true, interface: '127.0.0.1', mask: '255.0.0.0', port: lanPort, intervalMs: 1000 };
    const victim = await h.node({ name: 'victim', lan, mesh: { targetDegree: 3 } });
    // The third party the announcements name, and the attacker's own host (where the datagrams really come from).
    const thirdParty = await counter('127.0.0.77', 0);
    const attacker = await counter('127.0.0.66', thirdParty.port);
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((r) => socket.bind(0, '127.0.0.66', () => r()));
    socket.setBroadcast(true);
    const started = Date.now();
    let honest: Awaited<ReturnType<typeof h.node>> | undefined;
    for (let i = 0; i < 20_000; i++) {
      const bytes = encodeDatagram({
        announce: { peer: { peerId: randomBytes(32), name: 'forged', host: '127.0.0.77', port: thirdParty.port }, instanceId: randomBytes(16) },
      });
      await new Promise<void>((r) => socket.send(bytes, lanPort, '127.255.255.255', () => r()));
      if (i === 10_000) honest = await h.node({ name: 'honest', lan, mesh: { targetDegree: 3 } });
    }
    socket.close();
    const forgedMs = Date.now() - started;

    // Some forged entries were dialled (at their source), and the cap held the rest back.
    await waitFor(() => attacker.count() >= 3 && victim.stats().unprovenDialsSkipped > 0, 20_000, 'capped dials to the source');
    await waitFor(() => victim.peers().some((p) => p.peerId === honest!.peerId && p.state === 'connected'), 20_000, 'the honest peer');
    const elapsedS = (Date.now() - started) / 1000;
    console.log(`20,000 forged announcements in ${forgedMs} ms; dials to the source ${attacker.count()} in ${elapsedS.toFixed(1)} s; ` +
      `skipped by the cap ${victim.stats().unprovenDialsSkipped}; table ${victim.peers().length}`);
    expect(thirdParty.count()).toBe(0);
    // Burst of 4, then 2 per second (+1 s of slack), over the whole run.
    expect(attacker.count()).toBeLessThanOrEqual(4 + 2 * Math.ceil(elapsedS + 1));
    expect(victim.peers().length).toBeLessThanOrEqual(256 + 1);
    expect(victim.peers().filter((p) => p.state === 'known').every((p) => p.address.host === '127.0.0.66' || p.peerId === honest!.peerId)).toBe(true);
  }, 120_000);
});
