import type { Logger } from './types.js';

const noop = (): void => undefined;

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
