import { startLanDiscovery, type LanDiscovery } from '../discovery/lan-discovery.js';
import { LanDiscoveryError, NoLanInterfaceError } from '../errors.js';
import { learnLanPeer } from './discovered-peers.js';
import { resolveLanInterface } from './lan-interface.js';
import { warn } from './notify.js';
import type { RunningNode } from './running-node.js';
import { selfInfo } from './self-info.js';

/** The LAN discovery of a node that has none (disabled, or it could not start): announces nothing. */
export const noLanDiscovery: LanDiscovery = {
  announce: () => undefined,
  send: () => false,
  sendTo: () => false,
  stats: () => ({ sent: 0, received: 0, ignored: 0 }),
  stop: () => Promise.resolve(),
};

/**
 * Starts LAN discovery on the configured (or the listener's) interface. Discovery is a convenience: without a
 * usable interface, or when its socket cannot be bound, the node warns and runs on seeds and explicit connects.
 */
export async function startLan(node: RunningNode): Promise<void> {
  const cfg = node.config;
  const listener = node.listener;
  const iface = resolveLanInterface(cfg.lan.interface, cfg.lan.mask, listener.address.host);
  if (!iface) {
    const err = new NoLanInterfaceError();
    warn(node, err.code, err.message);
    return;
  }
  try {
    node.lan = await startLanDiscovery({
      transport: node.transport, intervalMs: cfg.lan.intervalMs, instanceId: node.instanceId, logger: node.logger, clock: node.clock,
      channel: { interface: iface.address, mask: iface.mask, port: cfg.lan.port, multicastGroup: cfg.lan.multicastGroup },
      // A wildcard listener has no one address to announce: peers use the source address they see instead.
      self: () => selfInfo(node, cfg.listen.host === '0.0.0.0' || cfg.listen.host === '::' ? '' : listener.address.host),
      onPeer: (p) => learnLanPeer(node, p),
      onEnvelope: (env, from) => {
        for (const h of node.lanHandlers) {
          try {
            if (h(env, from)) return;
          } catch (err) {
            node.logger.error({ err: (err as Error).message }, 'LAN envelope handler threw');
            return;
          }
        }
      },
    });
  } catch (err) {
    // A socket that cannot be bound fails with a plain system error: it is reported as the one LAN condition.
    const e = err instanceof LanDiscoveryError ? err : new LanDiscoveryError((err as Error).message, { cause: err });
    warn(node, e.code, e.message);
  }
}
