/** @deprecated Moved to util/logger.ts; kept so imports of the old path keep compiling. */
export { silentLogger } from '../util/logger.js';
