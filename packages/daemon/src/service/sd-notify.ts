import { execFile } from 'node:child_process';

/** Outcome of a notification: not under systemd, sent and acknowledged, or failed (systemd-notify missing...). */
export type NotifyOutcome = 'not-requested' | 'sent' | 'failed';

/**
 * Sends a state change to systemd (Type=notify) when it started us with NOTIFY_SOCKET set. Node has no
 * AF_UNIX datagram sockets, so this runs `systemd-notify`, which (systemd >= 246) waits until systemd has
 * processed the message; the unit needs NotifyAccess=all because the message comes from that child.
 * Never throws.
 */
export function sdNotify(variables: string[], env: NodeJS.ProcessEnv = process.env): Promise<NotifyOutcome> {
  if (!env.NOTIFY_SOCKET) return Promise.resolve('not-requested');
  return new Promise((resolve) => {
    execFile('systemd-notify', [`--pid=${process.pid}`, ...variables], { timeout: 5000, env }, (err) => resolve(err ? 'failed' : 'sent'));
  });
}

/** Reports readiness (READY=1) with a status line. */
export function notifyReady(status: string, env: NodeJS.ProcessEnv = process.env): Promise<NotifyOutcome> {
  return sdNotify(['--ready', `--status=${status}`], env);
}

/** Reports that shutdown began (STOPPING=1), so systemctl shows "deactivating" rather than a crash. */
export function notifyStopping(env: NodeJS.ProcessEnv = process.env): Promise<NotifyOutcome> {
  return sdNotify(['STOPPING=1', '--status=shutting down'], env);
}
