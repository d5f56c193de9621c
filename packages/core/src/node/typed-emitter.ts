import type { Logger, NodeEvents } from './types.js';

/** A small typed event emitter; a throwing listener is logged and never breaks the node. */
export class TypedEmitter {
  private readonly listeners = new Map<keyof NodeEvents, Set<(arg: never) => void>>();

  constructor(private readonly logger: Logger) {}

  /** Subscribes; returns the unsubscribe function. */
  on<E extends keyof NodeEvents>(event: E, listener: (arg: NodeEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (arg: never) => void);
    return () => { set!.delete(listener as (arg: never) => void); };
  }

  /** Calls every listener of `event`. */
  emit<E extends keyof NodeEvents>(event: E, arg: NodeEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (a: NodeEvents[E]) => void)(arg);
      } catch (err) {
        this.logger.error({ err: (err as Error).message, event }, 'event listener threw');
      }
    }
  }
}
