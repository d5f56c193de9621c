#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { createNode, P2PError } from '@p2p/core';
import { EXIT_CODES, parseArgv } from '../cli/parse-argv.js';
import { checkConfig, formatHostPort, loadConfig } from '../config/index.js';
import { DaemonConfigError } from '../errors.js';
import { DAEMON_VERSION } from '../version.js';
import { createLogger } from '../logging/index.js';
import { notifyReady, notifyStopping, startDaemon } from '../service/index.js';

/** Errors of the node library that are the configuration's fault (bad value, unreadable or foreign identity). */
const CONFIG_CODES = new Set(['ERR_CONFIG', 'ERR_IDENTITY_FILE', 'ERR_IDENTITY_MISMATCH']);

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal while shutting down means "now": skip the goodbyes.
      process.on('SIGINT', () => process.exit(130));
      process.on('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    // SIGHUP too: a closed terminal should not cut the goodbyes short.
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, onSignal);
  });
}

async function main(): Promise<number> {
  const argv = await parseArgv(hideBin(process.argv), DAEMON_VERSION);
  const { config, configFile, warnings } = await loadConfig({ flags: argv, env: process.env, cwd: process.cwd() });
  if (argv['check-config']) {
    await checkConfig(config, true);
    const shown = {
      ...config,
      listen: config.listen && formatHostPort(config.listen), metrics: config.metrics && formatHostPort(config.metrics),
      seeds: config.seeds.map(formatHostPort),
    };
    process.stdout.write(`config ok${configFile ? ` (${configFile})` : ''}\n${JSON.stringify(shown, null, 2)}\n`);
    for (const warning of warnings) process.stderr.write(`p2pd: warning: ${warning}\n`);
    return EXIT_CODES.ok;
  }
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
  for (const warning of warnings) logger.warn(warning);
  // A bug, not a condition: logged as such (the destination is synchronous, so the line is written) and exit 1.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'p2pd crashed');
    process.exit(EXIT_CODES.failure);
  });
  const signal = waitForSignal();
  const daemon = await startDaemon(config, { createNode, logger });
  const listen = daemon.node.listenAddress();
  const ready = {
    peerId: daemon.node.peerId, name: daemon.node.name, role: daemon.node.role, listen: listen && formatHostPort(listen),
    socket: daemon.socketPath, dataDir: config.dataDir, metrics: daemon.metricsAddress && formatHostPort(daemon.metricsAddress),
    version: DAEMON_VERSION,
  };
  logger.info(ready, 'p2pd ready');
  const notified = await notifyReady(`ready: ${ready.name} ${ready.peerId} on ${ready.listen}`);
  if (notified === 'sent') logger.info('readiness reported to systemd');
  if (notified === 'failed') logger.warn('NOTIFY_SOCKET is set but systemd-notify failed: use Type=simple in the unit, or install systemd-notify');
  const received = await signal;
  logger.info({ signal: received }, 'shutting down');
  // Not awaited: the shutdown must not wait on systemd.
  if (notified === 'sent') void notifyStopping();
  await daemon.stop();
  logger.info('stopped');
  return EXIT_CODES.ok;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof DaemonConfigError || (err instanceof P2PError && CONFIG_CODES.has(err.code))) {
      process.stderr.write(`p2pd: ${err.message}\n`);
      process.exit(EXIT_CODES.config);
    }
    if (err instanceof P2PError) process.stderr.write(`p2pd: ${err.message}\n`);
    else process.stderr.write(`p2pd: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(EXIT_CODES.failure);
  },
);
