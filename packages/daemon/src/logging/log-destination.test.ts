import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogDestination } from './log-destination.js';

describe('log destination', () => {
  it('writes level names, with journald priorities when asked', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'p2pd-log-')), 'out');
    const fd = openSync(path, 'w');
    const logger = pino({ level: 'debug', formatters: { level: (label) => ({ level: label }) } }, createLogDestination({ fd, journald: true }));
    logger.error('bad');
    logger.warn('careful');
    logger.info('fine');
    logger.debug('detail');
    closeSync(fd);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.slice(0, 20))).toEqual(['<3>{"level":"error",', '<4>{"level":"warn","', '<6>{"level":"info","', '<7>{"level":"debug",']);
    expect(JSON.parse(lines[2]!.slice(3))).toMatchObject({ level: 'info', msg: 'fine' });
  });

  it('drops and counts a line it cannot write instead of throwing', () => {
    const dest = createLogDestination({ fd: 987_654, journald: false });
    expect(() => dest.write('{"level":"info"}\n')).not.toThrow();
    expect(dest.dropped()).toBe(1);
  });
});
