// A js-libp2p node configured as the baseline of our benchmarks: TCP + Noise + Yamux with only the ping and identify
// services, listening on 127.0.0.1 only, with no peer discovery (no mDNS, no bootstrap, no DHT), so it never reaches
// any address but the ones a benchmark dials. Run directly (`node libp2p-node.mjs`), it is an idle node process that
// prints one JSON line {"event":"ready","multiaddr":...,"pid":...} and lives until stdin closes or a signal.
import { fileURLToPath } from 'node:url';

// Current libp2p calls Promise.withResolvers (Node 22+); Node 20 lacks it. Installed before libp2p is imported.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

const [{ createLibp2p }, { tcp }, { noise }, { yamux }, { ping }, { identify }] = await Promise.all([
  import('libp2p'),
  import('@libp2p/tcp'),
  import('@chainsafe/libp2p-noise'),
  import('@chainsafe/libp2p-yamux'),
  import('@libp2p/ping'),
  import('@libp2p/identify'),
]);

/** The protocol id of the benchmark's bulk-transfer stream. */
export const SINK_PROTOCOL = '/p2p-bench/sink/1.0.0';

/**
 * Creates and starts a js-libp2p node on 127.0.0.1 (random port) with TCP, Noise, Yamux, ping and identify only.
 * @param {{ listen?: boolean }} [init] listen: false for a dial-only node (no listening socket at all)
 */
export async function createBenchLibp2p(init = {}) {
  return createLibp2p({
    addresses: { listen: init.listen === false ? [] : ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    peerDiscovery: [],
    // Every benchmark connection comes from 127.0.0.1; the default (5 per second per host) would refuse a burst of
    // them as abuse, as our hub's raised mesh limits allow the same burst in the session bench.
    connectionManager: { inboundConnectionThreshold: 10_000, maxIncomingPendingConnections: 100 },
    services: { ping: ping(), identify: identify() },
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const node = await createBenchLibp2p();
  const stop = () => void node.stop().finally(() => process.exit(0));
  process.stdin.on('end', stop);
  process.stdin.resume();
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, stop);
  process.stdout.write(`${JSON.stringify({ event: 'ready', multiaddr: node.getMultiaddrs()[0].toString(), pid: process.pid })}\n`);
}
