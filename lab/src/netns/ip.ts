/** Runs iproute2's `ip` and `tc`, turning a failure into a LabCommandError with the command's stderr. */
import { execFile, execFileSync } from 'node:child_process';
import { LabCommandError } from '../errors.js';

/** Runs `ip ARGS` synchronously (teardown paths, which must finish even while the process is exiting). */
export function ipSync(...args: string[]): string {
  return runSync('ip', args);
}

/** Runs `ip ARGS`. */
export function ip(...args: string[]): Promise<string> {
  return run('ip', args);
}

/** Runs `tc ARGS`. */
export function tc(...args: string[]): Promise<string> {
  return run('tc', args);
}

/** Runs `ip -batch -` with one command per line: hundreds of link changes in one process. */
export function ipBatch(lines: string[], force = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('ip', [...(force ? ['-force'] : []), '-batch', '-'], { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new LabCommandError(`ip -batch (${lines.length} lines)`, stderr || err.message));
      else resolve(stdout);
    });
    child.stdin!.end(`${lines.join('\n')}\n`);
  });
}

function runSync(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new LabCommandError(`${cmd} ${args.join(' ')}`, e.stderr?.toString() || e.message);
  }
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new LabCommandError(`${cmd} ${args.join(' ')}`, stderr || err.message));
      else resolve(stdout);
    });
  });
}
