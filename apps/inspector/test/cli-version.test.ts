import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin', 'p2p-inspect.js');

describe('p2p-inspect --version and completion', () => {
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--version']);
    expect(stdout.trim()).toBe('0.1.0');
  });

  it('prints a completion script and answers completions', async () => {
    const script = await run(process.execPath, [BIN, 'completion']);
    expect(script.stdout).toContain('p2p-inspect --get-yargs-completions');
    const words = await run(process.execPath, [BIN, '--get-yargs-completions', 'p2p-inspect', '']);
    expect(words.stdout.split('\n')).toEqual(expect.arrayContaining(['serve', 'completion']));
    const options = await run(process.execPath, [BIN, '--get-yargs-completions', 'p2p-inspect', 'serve', '--']);
    expect(options.stdout.split('\n')).toEqual(expect.arrayContaining(['--port', '--host', '--keylog']));
  });
});
