/**
 * Discovery: N daemons started together find each other by one mechanism alone (LAN announcements, or one seed with
 * LAN discovery off) and form one mesh at their target degree; then a broadcast and directs prove the mesh carries.
 */
import type { Lab } from '../lab.js';
import { discoveryArgs, trafficRound, waitForDeliveries, waitHealed, type DiscoveryMode } from './mesh-steps.js';
import type { Progress, ScenarioOutcome } from './types.js';

/** Options of the discovery scenario. */
export interface DiscoveryOptions {
  mode: DiscoveryMode;
  /** Hosts to start daemons on; default every host of the lab. */
  hosts?: Lab['network']['hosts'];
  /** How long the mesh may take to form; default 90 s. */
  timeoutMs?: number;
  progress?: Progress;
}

/** Starts a daemon on every host of `lab` and measures how long until they form one mesh. */
export async function runDiscovery(lab: Lab, opts: DiscoveryOptions): Promise<ScenarioOutcome> {
  const say = opts.progress ?? (() => {});
  const started = Date.now();
  const daemons = await lab.startAll(discoveryArgs(opts.mode, lab), opts.mode, opts.hosts);
  const startMs = Date.now() - started;
  say(`discovery (${opts.mode}): ${daemons.length} daemons ready in ${startMs} ms`);
  const afterReady = await waitHealed(daemons, opts.timeoutMs ?? 90_000);
  const convergeMs = Date.now() - started;
  say(`discovery (${opts.mode}): one mesh at target degree ${afterReady} ms after the last daemon was ready`);
  const sent = [];
  for (let i = 0; i < 3; i++) sent.push(...(await trafficRound(daemons)));
  const { missing, unacknowledged, ...counts } = await waitForDeliveries(sent, daemons);
  return {
    ...counts, healed: true, detectMs: null, convergeMs,
    details: { mode: opts.mode, startMs, afterLastReadyMs: afterReady, missing, unacknowledged },
  };
}
