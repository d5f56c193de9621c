/** Current libp2p calls Promise.withResolvers (Node 22+); Node 20 lacks it. Imported before libp2p is loaded. */

/** Installs Promise.withResolvers when the runtime lacks it. */
export function installWithResolvers(): void {
  const P = Promise as unknown as { withResolvers?: unknown };
  if (typeof P.withResolvers === 'function') return;
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}
