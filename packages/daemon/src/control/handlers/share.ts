import { fileService } from './checks.js';
import { BadControlRequestError } from '@p2p/control';
import type { ControlHandler } from '../handler-types.js';

/** share: shares a directory (scanned before the answer) and answers the shared directories. */
export const handleShare: ControlHandler = async (request, _call, deps) => {
  const files = fileService(deps);
  const dir = request.share?.dir;
  if (!dir) throw new BadControlRequestError('no directory given');
  await files.share(dir);
  return { shares: { dirs: files.shares() } };
};

/** unshare: stops sharing a directory and answers the shared directories. */
export const handleUnshare: ControlHandler = async (request, _call, deps) => {
  const files = fileService(deps);
  const dir = request.unshare?.dir;
  if (!dir) throw new BadControlRequestError('no directory given');
  if (!(await files.unshare(dir))) throw new BadControlRequestError(`${dir} is not shared`);
  return { shares: { dirs: files.shares() } };
};
