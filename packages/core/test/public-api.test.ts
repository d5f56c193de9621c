// The package's entry points as a consumer sees them (the built dist/ through package.json "exports").
import { describe, expect, it } from 'vitest';

describe('public API of @p2p/core', () => {
  it('exports the node, its configuration, identity and errors from the root, and no internals', async () => {
    const root = await import('@p2p/core');
    for (const name of ['createNode', 'normalizeConfig', 'parseMask', 'peerIdToString', 'createMessageSigner', 'verifyAuthor', 'P2PError', 'ConfigError', 'silentLogger', 'systemClock']) {
      expect(root, name).toHaveProperty(name);
    }
    for (const name of ['Session', 'createBroadcastEngine', 'createDirectRouter', 'PeerBook', 'createSeedService', 'createMemoryNetwork', 'TokenBucket']) {
      expect(root, name).not.toHaveProperty(name);
    }
  });

  it('exports codecs and framing from @p2p/core/wire', async () => {
    const wire = await import('@p2p/core/wire');
    for (const name of ['v1', 'control', 'encodeEnvelope', 'decodeEnvelope', 'FrameDecoder', 'encodeFrame', 'frameBytes', 'encodeDatagram', 'decodeDatagram', 'readVarint', 'PROTOCOL_VERSION']) {
      expect(wire, name).toHaveProperty(name);
    }
  });

  it('exports the in-memory network and test helpers from @p2p/core/testing', async () => {
    const testing = await import('@p2p/core/testing');
    for (const name of ['createMemoryNetwork', 'Harness', 'waitFor', 'VirtualClock', 'seededRandom']) {
      expect(testing, name).toHaveProperty(name);
    }
  });
});
