import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadCapture } from '../../src/cli/load-capture.js';
import type { InspectedMessage } from '../../src/decode/message.js';

const run = promisify(execFile);

/** The compiled CLI (the package's build must have run). */
export const CLI = fileURLToPath(new URL('../../dist/bin/p2p-inspect.js', import.meta.url));

/** A fresh temporary directory. */
export function tempDir(prefix = 'p2p-inspect-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Decodes a capture in-process. */
export async function inspectFile(capture: string, keylog?: string): Promise<InspectedMessage[]> {
  return (await loadCapture({ capture, ...(keylog ? { keylog } : {}) })).messages;
}

/** Runs the CLI and returns its exit code and output. */
export async function runCliProcess(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Messages that are protocol messages (not TLS records, not undecodable). */
export function protocolMessages(messages: InspectedMessage[]): InspectedMessage[] {
  return messages.filter((m) => m.type !== 'undecodable' && !m.type.startsWith('tls-'));
}
