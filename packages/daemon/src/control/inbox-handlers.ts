import type { p2p } from '@p2p/core';
import { ControlRequestError } from '../errors.js';
import type { Inbox, PruneOptions } from '../inbox/index.js';

/** The inbox part of a StatusReply: size, quota and the disk's state. */
export function inboxStatus(inbox: Inbox): p2p.control.v1.IInboxStatus {
  const s = inbox.stats();
  const refused = Object.values(s.refused).reduce((a, b) => a + b, 0);
  return {
    messages: s.stored, bytes: s.bytes, quotaBytes: s.quotaBytes, disk: s.disk,
    lastError: s.lastError ? `${s.lastError.code}: ${s.lastError.message}` : '', lastErrorAt: s.lastError?.at ?? '',
    refused, writeFailures: s.dropped - refused,
  };
}

/** Runs an InboxPruneRequest; a request that names nothing to remove is refused rather than read as "all". */
export async function pruneInbox(inbox: Inbox, request: p2p.control.v1.IInboxPruneRequest): Promise<p2p.control.v1.IInboxPruneReply> {
  const options: PruneOptions = {};
  if (request.all) options.all = true;
  const olderThanMs = Number(request.olderThanMs ?? 0);
  if (olderThanMs > 0) options.olderThanMs = olderThanMs;
  if (request.keep) options.keep = request.keep;
  if (!options.all && options.olderThanMs === undefined && options.keep === undefined) {
    throw new ControlRequestError('BAD_REQUEST', 'say what to remove: all, older_than_ms or keep');
  }
  return inbox.prune(options);
}
