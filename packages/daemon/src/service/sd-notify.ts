import { execFile } from 'node:child_process';

/**
 * Tells systemd the service is ready (Type=notify) when it started us with NOTIFY_SOCKET set.
 * Node has no AF_UNIX datagram sockets, so this runs `systemd-notify --ready`; the unit needs
 * NotifyAccess=all because the message comes from that child, not from p2pd's own PID.
 * Resolves to false (never throws) when not under systemd or when systemd-notify is missing.
 */
export function notifyReady(status: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.NOTIFY_SOCKET) return Promise.resolve(false);
  return new Promise((resolve) => {
    execFile('systemd-notify', ['--ready', `--pid=${process.pid}`, `--status=${status}`], { timeout: 5000, env }, (err) => resolve(!err));
  });
}
