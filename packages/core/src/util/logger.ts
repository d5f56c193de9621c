/** The subset of pino's API the core logs through. */
export interface Logger {
  /** Debug-level message. */
  debug(obj: object | string, msg?: string): void;
  /** Info-level message. */
  info(obj: object | string, msg?: string): void;
  /** Warning-level message. */
  warn(obj: object | string, msg?: string): void;
  /** Error-level message. */
  error(obj: object | string, msg?: string): void;
}

const noop = (): void => undefined;

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };
