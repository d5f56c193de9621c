import { fileService } from './checks.js';
import type { ControlHandler } from '../handler-types.js';

/** Files per page of the answer (a page stays far below the response frame limit). */
export const FILES_PAGE = 200;

/** files: what this node shares, in pages, each its own frame. */
export const handleFiles: ControlHandler = (_request, call, deps) => {
  const files = fileService(deps);
  const all = files.files().sort((a, b) => a.share.localeCompare(b.share) || a.name.localeCompare(b.name));
  for (let i = 0; i < all.length || i === 0; i += FILES_PAGE) {
    const page = all.slice(i, i + FILES_PAGE);
    if (!call.send({ files: { files: page, more: i + FILES_PAGE < all.length } })) return;
  }
};
