import { BadControlRequestError } from '@p2p/control';
import type { PruneOptions } from '../../inbox/index.js';
import type { ControlHandler } from '../handler-types.js';

/**
 * inboxPrune: removes stored messages to make room (all of them, those older than an age, all but the newest N).
 * A request that names nothing to remove is refused rather than read as "all".
 */
export const handleInboxPrune: ControlHandler = async (request, _call, { inbox }) => {
  const r = request.inboxPrune ?? {};
  const options: PruneOptions = {};
  if (r.all) options.all = true;
  const olderThanMs = Number(r.olderThanMs ?? 0);
  if (olderThanMs > 0) options.olderThanMs = olderThanMs;
  if (r.keep) options.keep = r.keep;
  if (!options.all && options.olderThanMs === undefined && options.keep === undefined) {
    throw new BadControlRequestError('say what to remove: all, older_than_ms or keep');
  }
  return { inboxPrune: await inbox.prune(options) };
};
