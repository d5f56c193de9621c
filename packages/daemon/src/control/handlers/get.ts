import { fileService } from './checks.js';
import { BadControlRequestError, controlCodeOf } from '@p2p/control';
import type { Download, DownloadProgress } from '@p2p/core';
import type { ControlHandler } from '../handler-types.js';
import { MAX_SEARCH_MS } from './search.js';

/** Least time between two progress responses of one download, ms. */
export const PROGRESS_INTERVAL_MS = 200;

/** A download's progress as the control API carries it. */
export function downloadEntry(p: DownloadProgress): Record<string, unknown> {
  return {
    root: p.root, path: p.path, size: p.size, bytes: p.bytes, state: p.state, activeSources: p.activeSources,
    sources: p.sources, error: p.error ?? '', sha256: p.sha256 ?? '',
  };
}

/**
 * get: finds the file (by root or exact name), downloads it, and streams its progress at most every
 * PROGRESS_INTERVAL_MS; the last response is the finished download, or the typed error it failed with.
 */
export const handleGet: ControlHandler = async (request, call, deps) => {
  const files = fileService(deps);
  const r = request.get;
  if (!r?.target) throw new BadControlRequestError('nothing to get: give a file name or a root');
  const d: Download = await files.download({
    target: r.target, timeoutMs: Math.min(r.timeoutMs || 2000, MAX_SEARCH_MS),
    ...(r.from ? { from: r.from } : {}), ...(r.outputDir ? { destDir: r.outputDir } : {}),
  });
  let last = 0;
  const off = files.onProgress((p) => {
    // The end (done, failed) is the call's own answer, with its error code.
    if (p.root !== d.root || (p.state !== 'running' && p.state !== 'stalled' && p.state !== 'starting')) return;
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS && p.state === 'running') return;
    last = now;
    call.send({ download: downloadEntry(p) });
  });
  try {
    await d.done;
  } catch (err) {
    const p = d.progress();
    return { download: { ...downloadEntry(p), errorCode: controlCodeOf(err) } };
  } finally {
    off();
  }
  return { download: downloadEntry(d.progress()) };
};
