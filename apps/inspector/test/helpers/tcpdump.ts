import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** A running tcpdump writing a capture file. */
export interface Capture {
  /** The capture file. */
  file: string;
  /** Stops tcpdump (SIGINT, so it flushes) and waits for it to exit; resolves with the packets the kernel dropped. */
  stop(): Promise<number>;
}

/**
 * Starts `tcpdump -i <iface> -U -w file <filter>` and resolves once it prints "listening on", so nothing sent
 * afterwards is missed. --immediate-mode matters: without it libpcap hands packets over in blocks, and the block
 * pending when tcpdump is stopped is lost. Only loopback is ever captured by the tests.
 */
export async function startTcpdump(file: string, filter: string, options: { iface?: string; nanos?: boolean; extra?: string[] } = {}): Promise<Capture> {
  const args = ['-i', options.iface ?? 'lo', '-n', '-U', '--immediate-mode', '-B', '65536', '-Z', 'root', '-s', '0', '-w', file, ...(options.nanos ? ['--time-stamp-precision=nano'] : []), ...(options.extra ?? []), filter];
  const child: ChildProcess = spawn('tcpdump', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tcpdump did not start: ${stderr}`)), 20_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump exited with ${code}: ${stderr}`));
    });
  });
  return {
    file,
    async stop() {
      if (child.exitCode !== null) return dropped(stderr);
      // Give the kernel a moment to hand the last packets to tcpdump before it stops.
      await new Promise((r) => setTimeout(r, 300));
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
      return dropped(stderr);
    },
  };
}

function dropped(stderr: string): number {
  return Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
}

/**
 * Captures the traffic of `traffic()` into `file`; retries when the kernel dropped packets (the machine is shared and
 * busy), so tests that count messages start from a complete capture.
 */
export async function captureTraffic(file: string, filter: string, traffic: () => Promise<void>, options: { attempts?: number; nanos?: boolean; iface?: string } = {}): Promise<void> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    const capture = await startTcpdump(file, filter, options);
    try {
      await traffic();
    } finally {
      const lost = await capture.stop();
      if (lost === 0) return;
      if (attempt >= attempts) throw new Error(`tcpdump dropped ${lost} packets in ${attempts} attempts`);
    }
  }
}

/** Starts `tshark -i lo -w file.pcapng -f filter` (pcapng, as Wireshark writes it) once it reports capturing. */
export async function startTshark(file: string, filter: string): Promise<Capture> {
  const child: ChildProcess = spawn('tshark', ['-i', 'lo', '-n', '-q', '-F', 'pcapng', '-w', file, '-f', filter], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tshark did not start: ${stderr}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (stderr.includes('Capturing on')) {
        clearTimeout(timer);
        // dumpcap reports before its first poll; a short pause keeps the first packets.
        setTimeout(resolve, 500);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tshark exited with ${code}: ${stderr}`));
    });
  });
  return {
    file,
    async stop() {
      if (child.exitCode !== null) return 0;
      await new Promise((r) => setTimeout(r, 1500)); // dumpcap hands packets over in blocks; let the last one land
      const exited = once(child, 'exit');
      child.kill('SIGINT');
      await exited;
      return Number(/(\d+) packets? dropped/.exec(stderr)?.[1] ?? 0);
    },
  };
}
