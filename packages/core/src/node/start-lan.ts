import { startLanDiscovery } from '../discovery/index.js';
import { learnLanPeer } from './discovered-peers.js';
import { resolveLanInterface } from './lan-interface.js';
import type { NodeContext } from './node-context.js';
import { warn } from './notify.js';
import { selfInfo } from './self-info.js';

/**
 * Starts LAN discovery on the configured (or the listener's) interface. Discovery is a convenience: without a
 * usable interface, or when its socket cannot be bound, the node warns and runs on seeds and explicit connects.
 */
export async function startLan(ctx: NodeContext): Promise<void> {
  const cfg = ctx.config;
  const listener = ctx.listener!;
  const iface = resolveLanInterface(cfg.lan.interface, cfg.lan.mask, listener.address.host);
  if (!iface) {
    warn(ctx, 'ERR_NO_LAN_INTERFACE', 'LAN discovery disabled: no IPv4 interface to announce on');
    return;
  }
  try {
    ctx.lan = await startLanDiscovery({
      transport: ctx.transport!, intervalMs: cfg.lan.intervalMs, instanceId: ctx.instanceId, logger: ctx.logger,
      channel: { interface: iface.address, mask: iface.mask, port: cfg.lan.port, multicastGroup: cfg.lan.multicastGroup },
      // A wildcard listener has no one address to announce: peers use the source address they see instead.
      self: () => selfInfo(ctx, cfg.listen.host === '0.0.0.0' || cfg.listen.host === '::' ? '' : listener.address.host),
      onPeer: (p) => learnLanPeer(ctx, p),
      onEnvelope: (env, from) => {
        for (const h of ctx.lanHandlers) {
          try {
            if (h(env, from)) return;
          } catch (err) {
            ctx.logger.error({ err: (err as Error).message }, 'LAN envelope handler threw');
            return;
          }
        }
      },
    });
  } catch (err) {
    warn(ctx, 'ERR_LAN_DISCOVERY', `LAN discovery disabled: ${(err as Error).message}`);
  }
}
