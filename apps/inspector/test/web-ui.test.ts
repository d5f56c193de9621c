import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, inspectFile, tempDir } from './helpers/inspect.js';
import { captureTraffic } from './helpers/tcpdump.js';
import { chat, freePort, hello, makePeer, plainSession, sendDatagrams } from './helpers/traffic.js';

const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const alice = makePeer('alice');
const bob = makePeer('bob');

describe('web UI in headless Chromium', () => {
  const dir = tempDir();
  const file = join(dir, 'web.pcap');
  let server: ChildProcess | undefined;
  let url = '';
  let context: BrowserContext | undefined;
  let profile = '';
  let total = 0;

  beforeAll(async () => {
    const tcp = await freePort();
    const udp = await freePort();
    await captureTraffic(file, `tcp port ${tcp} or udp port ${udp}`, async () => {
      await plainSession(tcp, {
        client: [hello(alice), chat(alice, 'hello from the browser test'), chat(alice, 'second line')],
        server: [hello(bob), { ping: { nonce: 77, sentAtMs: 1 } }],
      });
      await sendDatagrams(udp, [{ ping: { nonce: 5, sentAtMs: 6 } }]);
    });
    total = (await inspectFile(file)).length;
    server = spawn(process.execPath, [CLI, 'serve', file, '--port', '0', '--host', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
      server!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      server!.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    });
    profile = mkdtempSync(join(tmpdir(), 'p2p-inspect-chromium-'));
    context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await context?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('lists the messages, shows details with raw bytes, filters, draws the graph', async () => {
    const page = await context!.newPage();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
    await expect.poll(() => page.locator('[data-testid="packet-row"]').count()).toBe(total);

    // Click the first chat line: the detail pane shows its decoded fields and its bytes.
    await page.locator('[data-testid="packet-row"]', { hasText: 'broadcast' }).first().click();
    await expect.poll(() => page.locator('[data-testid="detail-title"]').textContent()).toContain('broadcast');
    const fields = await page.locator('[data-testid="detail-fields"]').textContent();
    expect(fields).toContain('hello from the browser test');
    expect(fields).toContain(alice.idText);
    const hex = await page.locator('[data-testid="hexdump"]').textContent();
    expect(hex).toMatch(/^00000000 {2}[0-9a-f]{2} /);
    // The ASCII column (after offset, 16 hex bytes and two spaces), read across lines, holds the text.
    expect(hex!.split('\n').map((l) => l.slice(59)).join('')).toContain('hello from the browser test');

    // The graph: alice, bob, and the UDP sender and receiver addresses.
    expect(await page.locator('[data-testid="graph-node"]').count()).toBe(4);
    expect(await page.locator('[data-testid="graph"]').textContent()).toContain('alice');

    // Filters narrow the list.
    await page.selectOption('[data-testid="filter-type"]', 'ping');
    await expect.poll(() => page.locator('[data-testid="packet-row"]').count()).toBe(2);
    await page.fill('[data-testid="filter-peer"]', 'bob');
    await expect.poll(() => page.locator('[data-testid="packet-row"]').count()).toBe(1);
    await page.click('#filter-reset');
    await expect.poll(() => page.locator('[data-testid="packet-row"]').count()).toBe(total);

    await page.locator('[data-testid="packet-row"]', { hasText: 'broadcast' }).first().click();
    await expect.poll(() => page.locator('[data-testid="detail-title"]').textContent()).toContain('broadcast');
    mkdirSync(RESULTS, { recursive: true });
    const shot = join(RESULTS, 'web-ui.png');
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`screenshot: ${shot}`);

    // The JSON API the page uses.
    const api = (await (await fetch(`${url}api/messages`)).json()) as unknown[];
    expect(api).toHaveLength(total);
  });
});
