import { fileService } from './checks.js';
import { FileNotFoundError } from '@p2p/core';
import type { ControlHandler } from '../handler-types.js';
import { downloadEntry } from './get.js';

/** downloads: resumes or cancels one when asked, then lists every download (in progress and finished). */
export const handleDownloads: ControlHandler = async (request, _call, deps) => {
  const files = fileService(deps);
  const r = request.downloads;
  if (r?.resume) await files.resume(r.resume);
  if (r?.cancel && !(await files.cancel(r.cancel))) throw new FileNotFoundError(`no download ${r.cancel}`);
  return { downloads: { downloads: files.downloads().map((p) => downloadEntry(p)) } };
};
