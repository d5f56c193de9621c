import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { InspectedMessage } from '../decode/message.js';
import { messageToJson } from '../decode/message.js';
import { WebAssetsMissingError } from '../errors.js';

/** What the web UI shows: the decoded messages and a summary of the capture. */
export interface WebData {
  /** The capture's file name. */
  capture: string;
  /** The messages, in capture order. */
  messages: InspectedMessage[];
  /** Counters and notes shown in the page header. */
  summary: Record<string, unknown>;
}

/** Options of the web server. */
export interface WebServerOptions {
  /** Address to listen on (127.0.0.1 by default: the data is the user's traffic). */
  host?: string;
  /** Port; 0 picks a free one. */
  port?: number;
  /** Directory of the built web app (dist/web). */
  assetsDir?: string;
}

/** A running web UI server. */
export interface WebServer {
  /** The base URL, e.g. http://127.0.0.1:8080/. */
  readonly url: string;
  /** Stops listening. */
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

/** The built web app next to the compiled server: dist/server/../web. */
export function defaultAssetsDir(): string {
  return fileURLToPath(new URL('../web/', import.meta.url));
}

function listItem(m: InspectedMessage): Record<string, unknown> {
  return { index: m.index, ...messageToJson(m) };
}

/**
 * Serves the web UI and its data: GET /api/summary, /api/messages (every message without raw bytes) and
 * /api/messages/N (one message with its raw bytes in hex). Everything else is a static file of the built app.
 */
export async function startWebServer(data: WebData, options: WebServerOptions = {}): Promise<WebServer> {
  const assets = resolve(options.assetsDir ?? defaultAssetsDir());
  try {
    await stat(join(assets, 'index.html'));
  } catch {
    throw new WebAssetsMissingError(assets);
  }
  const list = JSON.stringify(data.messages.map(listItem));
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string | Buffer): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'text/plain', 'method not allowed');
    if (url.pathname === '/api/summary') return send(200, MIME['.json']!, JSON.stringify({ capture: data.capture, count: data.messages.length, ...data.summary }));
    if (url.pathname === '/api/messages') return send(200, MIME['.json']!, list);
    const one = /^\/api\/messages\/(\d+)$/.exec(url.pathname);
    if (one) {
      const m = data.messages[Number(one[1])];
      if (!m) return send(404, MIME['.json']!, JSON.stringify({ error: 'no such message' }));
      return send(200, MIME['.json']!, JSON.stringify({ ...listItem(m), raw: Buffer.from(m.raw).toString('hex'), rawTruncated: m.raw.length < m.size }));
    }
    const path = normalize(join(assets, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname)));
    if (!path.startsWith(assets + sep) && path !== assets) return send(403, 'text/plain', 'forbidden');
    readFile(path).then(
      (body) => send(200, MIME[extname(path)] ?? 'application/octet-stream', body),
      () => send(404, 'text/plain', 'not found'),
    );
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolveListen());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port ?? 0;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}
