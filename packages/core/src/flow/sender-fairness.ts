import { SenderBusyError } from '../errors.js';
import { createFairQueue } from './fair-queue.js';

/** Bounds of a per-sender fairness gate. */
export interface SenderFairnessOptions {
  /** Tasks running at once (e.g. inbox appends sharing one fsync); default 32. */
  concurrency?: number;
  /** Tasks one sender may have waiting; more are refused with SenderBusyError. Default 256. */
  maxQueuedPerSender?: number;
  /** Tasks waiting over all senders; default 4096. */
  maxQueued?: number;
}

/** Counters of a fairness gate. */
export interface SenderFairnessStats {
  /** Tasks running now. */
  running: number;
  /** Tasks waiting. */
  queued: number;
  /** Senders with tasks waiting. */
  senders: number;
  /** Tasks refused because their sender (or the gate) was full. */
  refused: number;
}

/**
 * Runs asynchronous work on behalf of senders (storing their messages, say) so that no sender delays the others:
 * at most `concurrency` tasks run at once, and waiting tasks start round-robin by sender, so a flood from one
 * sender waits behind itself only. This is the hook the daemon's persist path uses (NodeConfig.persist is called
 * through one of these by the node).
 */
export interface SenderFairness {
  /** Runs `task` when its sender's turn comes; rejects with SenderBusyError at once when its sender's queue is full. */
  run<T>(sender: string, task: () => Promise<T>): Promise<T>;
  /** Counters. */
  stats(): SenderFairnessStats;
}

interface Job {
  task: () => Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** Creates a per-sender fairness gate. */
export function createSenderFairness(options: SenderFairnessOptions = {}): SenderFairness {
  const concurrency = Math.max(1, options.concurrency ?? 32);
  const perSender = Math.max(1, options.maxQueuedPerSender ?? 256);
  const queue = createFairQueue<Job>({ maxPerKey: perSender, maxTotal: Math.max(perSender, options.maxQueued ?? 4096) });
  let running = 0;
  let refused = 0;

  const start = (job: Job): void => {
    running++;
    let p: Promise<unknown>;
    try {
      p = job.task();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(job.resolve, job.reject).finally(() => {
      running--;
      const next = queue.shift();
      if (next) start(next.item);
    });
  };

  return {
    run<T>(sender: string, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const job: Job = { task, resolve: resolve as (v: unknown) => void, reject };
        if (running < concurrency && queue.length === 0) return start(job);
        if (!queue.push(sender, job)) {
          refused++;
          reject(new SenderBusyError(sender, perSender));
        }
      });
    },
    stats: () => ({ running, queued: queue.length, senders: queue.keys, refused }),
  };
}
