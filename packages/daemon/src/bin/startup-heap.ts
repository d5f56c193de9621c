import { setFlagsFromString } from 'node:v8';

// V8 doubles the young generation each time a scavenge finds it busy, and start-up (compiling every module) makes
// it busy: an idle p2pd kept 8 MiB of young generation it never used again, about 5 MiB of its resident memory.
// Growth is held back while p2pd starts and allowed again once it is ready, so the young generation grows with
// real traffic only. Only this factor changes (V8 reads it each time it grows the space); the default is 2.
setFlagsFromString('--semi-space-growth-factor=1');

/** Lets the young generation grow again (V8's default factor): call once the daemon is ready. */
export function allowHeapGrowth(): void {
  setFlagsFromString('--semi-space-growth-factor=2');
}
