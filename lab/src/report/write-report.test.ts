import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeReport } from './write-report.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function results(files: Record<string, unknown>): string {
  dir = mkdtempSync(join(tmpdir(), 'report-test-'));
  const res = join(dir, 'results');
  mkdirSync(res);
  for (const [name, data] of Object.entries(files)) writeFileSync(join(res, `${name}.json`), JSON.stringify(data));
  return res;
}

describe('writeReport', () => {
  it('puts each target beside its rival and says plainly which are not met', () => {
    const res = results({
      'core-session': { memory: { perSessionKiB: 113 } },
      'core-libp2p': { setup: [{ name: 'our node, TLS 1.3', medianMs: 9 }, { name: 'js-libp2p TCP', medianMs: 40 }], memory: { idleMiB: { libp2p: 80, ours: 57 }, perConnectionKiB: { libp2p: 280, ours: 110 } } },
      'core-broadcast': { nodes: 50, modes: [{ mode: 'plumtree', copiesPerNodePerMessage: 1.0, medianMs: 6, p95Ms: 17, messages: 60, complete: 60 }] },
      'lab-gossipsub': { nodes: 50, copiesPerNodePerMessage: 4.3, medianMs: 13, messages: 60, complete: 60, version: '17.1.1' },
      'lab-sim': { rows: [{ nodes: 100, latency: 'lan', failRatio: 0, mode: 'plumtree', deliveryRatio: 1, copiesPerNode: 1, rmr: 0, lastHopMedian: 7, lastHopMax: 9, lastDeliveryMsMedian: 25, lastDeliveryMsP95: 30, ms9999Median: 25, overDelivered: 0 }] },
      'files-transfer': { title: 'file transfer', rows: [{ case: 'ours', MBps: 900 }, { case: 'raw TCP', MBps: 1500 }] },
    });
    const md = writeReport(res, dir, { started: new Date(0), seconds: 60 });
    expect(md).toContain('| RSS per session (TLS 1.3) | ≤ 80 KiB | 113 KiB |');
    expect(md).toMatch(/RSS per session \(TLS 1.3\): not met/);
    expect(md).toMatch(/session setup .*\*\*met\*\*/);
    expect(md).toMatch(/copies received per node per message .*1\.000.*gossipsub 4\.30.*\*\*met\*\*/);
    expect(md).toContain('### file transfer');
    expect(md).toContain('_Not measured in this run (failure detection)');
    expect(existsSync(join(dir, 'sim-delivery-time.svg'))).toBe(true);
    expect(readFileSync(join(dir, 'REPORT.md'), 'utf8')).toBe(md);
  });
});
