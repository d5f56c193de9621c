/** @deprecated Moved to util/clock.ts; kept so imports of the old path keep compiling. */
export { systemClock, type Clock, type TimerHandle } from '../util/clock.js';
