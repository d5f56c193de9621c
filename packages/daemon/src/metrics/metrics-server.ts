import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import type { HostPort, Logger } from '@p2p/core';
import { formatHostPort } from '../config/parse-values.js';
import { BindError } from '../errors.js';

/** The HTTP endpoint serving /metrics. */
export interface MetricsServer {
  /** The bound address (the real port when 0 was asked). */
  address(): HostPort;
  /** Stops serving. */
  close(): Promise<void>;
}

/** Whether the daemon is fit to serve, for /healthz. */
export type HealthCheck = () => { ok: boolean; detail: string };

/**
 * Serves the registry in the Prometheus text format on http://HOST:PORT/metrics, and /healthz: 200 "ok" while
 * `health` says so, 503 with the reason otherwise.
 */
export async function startMetricsServer(registry: Registry, at: HostPort, logger: Logger, health?: HealthCheck): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    const path = req.url?.split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      const state = health?.() ?? { ok: true, detail: 'ok' };
      res.writeHead(state.ok ? 200 : 503, { 'content-type': 'text/plain' }).end(`${state.detail}\n`);
      return;
    }
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics or /healthz\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (err: unknown) => {
        logger.error({ err }, 'metrics: collection failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n');
      },
    );
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.maxConnections = 16;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at.port, at.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    throw new BindError('metrics', formatHostPort(at), err);
  }
  const bound = server.address();
  const address = typeof bound === 'object' && bound ? { host: at.host, port: bound.port } : at;
  return {
    address: () => address,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
