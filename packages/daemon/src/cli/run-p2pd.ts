import type { Logger as PinoLogger } from 'pino';
import type { NodeConfig } from '@p2p/core';
import { P2PError } from '@p2p/core';
import { checkConfig, formatHostPort, loadConfig, type DaemonConfig, type LoadedConfig } from '../config/index.js';
import type { DaemonNode } from '../control/index.js';
import { DaemonConfigError } from '../errors.js';
import { createLogger, stdoutIsJournal } from '../logging/index.js';
import { notifyReady, notifyStopping, startDaemon, type RunningDaemon } from '../service/index.js';
import { DAEMON_VERSION } from '../version.js';
import { EXIT_CODES, parseArgv, type DaemonArgv } from './parse-argv.js';
import { listenForSignals } from './signals.js';

export { drained } from '@p2p/control';

/** Errors that are the configuration's or the command line's fault (core's: bad value, unreadable or foreign identity; bad usage). */
const CONFIG_CODES = new Set(['ERR_CONFIG', 'ERR_IDENTITY_FILE', 'ERR_IDENTITY_MISMATCH', 'ERR_USAGE']);
/** A stop that takes longer than this is cut short: everything acknowledged is already on disk. */
export const SHUTDOWN_DEADLINE_MS = 900;

/** What runP2pd needs from its process. */
export interface P2pdProcess {
  /** Command-line arguments after the script name. */
  argv: string[];
  /** Environment. */
  env: NodeJS.ProcessEnv;
  /** Working directory for relative paths. */
  cwd: string;
  /** Builds the node: core's createNode (test fixtures wrap it). */
  createNode: (config: NodeConfig) => DaemonNode;
  /** Called once the daemon is ready (the binary lets the heap grow again). */
  onReady?: () => void;
}

function shown(config: DaemonConfig): Record<string, unknown> {
  return {
    ...config,
    listen: config.listen && formatHostPort(config.listen), metrics: config.metrics && formatHostPort(config.metrics),
    seeds: config.seeds.map(formatHostPort), clique: config.clique.map(formatHostPort),
    cliqueListen: config.cliqueListen && formatHostPort(config.cliqueListen), socketMode: config.socketMode !== undefined ? config.socketMode.toString(8).padStart(4, '0') : undefined,
  };
}

/** Exit code for an error that ended p2pd, after saying why on stderr (one line, or one JSON object with --json). */
export function reportFatal(err: unknown, json: boolean): number {
  const config = err instanceof DaemonConfigError || (err instanceof P2PError && CONFIG_CODES.has(err.code));
  const message = err instanceof P2PError ? err.message : `unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
  if (json) process.stderr.write(`${JSON.stringify({ error: { code: err instanceof P2PError ? err.code : 'ERR_UNEXPECTED', message } })}\n`);
  else process.stderr.write(`p2pd: ${message}\n`);
  return config ? EXIT_CODES.config : EXIT_CODES.failure;
}

async function checkOnly(loaded: LoadedConfig, json: boolean): Promise<number> {
  await checkConfig(loaded.config, true);
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: true, configFile: loaded.configFile ?? null, config: shown(loaded.config), warnings: loaded.warnings })}\n`);
  } else {
    process.stdout.write(`config ok${loaded.configFile ? ` (${loaded.configFile})` : ''}\n${JSON.stringify(shown(loaded.config), null, 2)}\n`);
    for (const warning of loaded.warnings) process.stderr.write(`p2pd: warning: ${warning}\n`);
  }
  return EXIT_CODES.ok;
}

async function reload(daemon: RunningDaemon, logger: PinoLogger, proc: P2pdProcess, argv: DaemonArgv): Promise<void> {
  logger.info('SIGHUP: reloading the configuration');
  try {
    const { config, warnings } = await loadConfig({ flags: argv, env: proc.env, cwd: proc.cwd });
    for (const warning of warnings) logger.warn(warning);
    await checkConfig(config, true);
    logger.level = config.logLevel;
    logger.debug({ config: shown(config) }, 'reload: the new configuration');
    const plan = await daemon.reload(config);
    logger.info({ live: plan.live, nodeRestarted: plan.node, needRestart: plan.restart }, 'configuration reloaded');
    if (plan.restart.length > 0) {
      logger.warn({ settings: plan.restart }, `reload: ${plan.restart.join(', ')} changed but only apply after a restart of p2pd`);
    }
  } catch (err) {
    logger.error({ err }, 'reload failed: keeping the configuration that runs');
  }
}

/** p2pd from argument parsing to exit code: starts the daemon, reloads on SIGHUP, stops on SIGTERM or SIGINT. */
export async function runP2pd(proc: P2pdProcess): Promise<number> {
  const argv = await parseArgv(proc.argv, DAEMON_VERSION);
  if (argv.completion) {
    argv.printCompletion();
    return EXIT_CODES.ok;
  }
  const loaded = await loadConfig({ flags: argv, env: proc.env, cwd: proc.cwd });
  if (argv['check-config']) return checkOnly(loaded, argv.json === true);
  const { config } = loaded;
  const journald = stdoutIsJournal(proc.env);
  const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true, journald });
  for (const warning of loaded.warnings) logger.warn(warning);
  // A bug, not a condition: logged as such (the destination is synchronous, so the line is written) and exit 1.
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'p2pd crashed');
    process.exit(EXIT_CODES.failure);
  });
  const signals = listenForSignals();
  const daemon = await startDaemon(config, { createNode: proc.createNode, logger, env: proc.env });
  const listen = daemon.node.listenAddress();
  const ready = {
    peerId: daemon.node.peerId, name: daemon.node.name, role: daemon.node.role, listen: listen && formatHostPort(listen),
    socket: daemon.socketPath, dataDir: config.dataDir, metrics: daemon.metricsAddress && formatHostPort(daemon.metricsAddress),
    version: DAEMON_VERSION,
    ...(daemon.clique ? { clique: formatHostPort(daemon.clique.clientAddress) } : {}),
  };
  logger.info(ready, 'p2pd ready');
  proc.onReady?.();
  const notified = await notifyReady(`ready: ${ready.name} ${ready.peerId} on ${ready.listen}`, proc.env);
  if (notified === 'sent') logger.info('readiness reported to systemd');
  if (notified === 'failed') logger.warn('NOTIFY_SOCKET is set but systemd-notify failed: use Type=simple in the unit, or install systemd-notify');
  let signal = await signals.next();
  while (signal === 'SIGHUP') {
    await reload(daemon, logger, proc, argv);
    signal = await signals.next();
  }
  const began = performance.now();
  logger.info({ signal }, 'shutting down');
  // A second signal while shutting down means "now": skip the goodbyes.
  void signals.next().then((again) => {
    if (again === 'SIGHUP') return;
    logger.warn({ signal: again }, 'second signal: exiting now');
    process.exit(again === 'SIGINT' ? 130 : 143);
  });
  // Delivered messages were fsync'd before they were acknowledged, so cutting a slow stop short loses nothing.
  const deadline = setTimeout(() => {
    logger.warn({ ms: SHUTDOWN_DEADLINE_MS }, 'shutdown is taking too long: exiting now');
    process.exit(EXIT_CODES.ok);
  }, SHUTDOWN_DEADLINE_MS);
  deadline.unref();
  // Not awaited: the shutdown must not wait on systemd.
  if (notified === 'sent') void notifyStopping(proc.env);
  await daemon.stop();
  clearTimeout(deadline);
  logger.info({ ms: Math.round(performance.now() - began) }, 'stopped');
  return EXIT_CODES.ok;
}

