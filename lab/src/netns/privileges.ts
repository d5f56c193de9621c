/** Whether this process can build a lab: root, iproute2, and namespaces permitted by the kernel and sandbox. */
import { ipSync } from './ip.js';
import { LAB_PREFIX } from './naming.js';

/** Result of the probe: ok, or why not. */
export interface LabSupport {
  ok: boolean;
  reason?: string;
}

let cached: LabSupport | undefined;

/** Probes once by creating and deleting a namespace; never throws. */
export function labSupport(): LabSupport {
  if (cached) return cached;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    cached = { ok: false, reason: 'not running as root' };
    return cached;
  }
  const probe = `${LAB_PREFIX}probe`;
  try {
    ipSync('netns', 'add', probe);
    ipSync('netns', 'del', probe);
    cached = { ok: true };
  } catch (err) {
    cached = { ok: false, reason: `ip netns add failed: ${(err as Error).message.split('\n')[0]}` };
  }
  return cached;
}
