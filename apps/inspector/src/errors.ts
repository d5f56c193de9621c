/**
 * Every error the inspector raises on purpose: one class per condition, each with a stable `code`.
 * Only the CLI entry point turns them into exit codes and messages.
 */

/** Base class of the inspector's typed errors. */
export class InspectorError extends Error {
  /** Stable, machine-readable identifier of the condition. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The input is neither pcap nor pcapng (nor a gzip of one). */
export class UnknownCaptureFormatError extends InspectorError {
  constructor(detail: string) {
    super('ERR_UNKNOWN_CAPTURE_FORMAT', `not a pcap or pcapng capture: ${detail}`);
  }
}

/** The capture file is structurally broken beyond the point where reading can go on. */
export class CorruptCaptureError extends InspectorError {
  constructor(detail: string) {
    super('ERR_CORRUPT_CAPTURE', `corrupt capture: ${detail}`);
  }
}

/** A key log file could not be read or holds no usable line. */
export class KeyLogError extends InspectorError {
  constructor(detail: string, options?: { cause?: unknown }) {
    super('ERR_KEYLOG', `key log: ${detail}`, options);
  }
}

/** A command-line argument has an invalid value. */
export class UsageError extends InspectorError {
  constructor(detail: string) {
    super('ERR_USAGE', detail);
  }
}

/** The web UI has not been built (dist/web is missing). */
export class WebAssetsMissingError extends InspectorError {
  constructor(dir: string) {
    super('ERR_WEB_ASSETS_MISSING', `web UI assets not found in ${dir}: run the package's build first`);
  }
}
