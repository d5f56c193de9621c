import { inboxEntry } from '@p2p/control';
import type { ControlHandler } from '../handler-types.js';

/**
 * inbox: the stored entries (the last `limit` when given), an InboxEnd, and with `follow` every new entry as it
 * is stored, until the client goes.
 */
export const handleInbox: ControlHandler = (request, call, { inbox }) => {
  // Subscribing and listing in the same tick leaves neither a gap nor a duplicate between stored and live.
  const stored = inbox.list(request.inbox?.limit ?? 0);
  if (request.inbox?.follow) {
    const unsubscribe = inbox.subscribe((record) => call.send({ inboxEntry: inboxEntry(record) }));
    call.keepOpen(unsubscribe);
  }
  for (const record of stored) call.send({ inboxEntry: inboxEntry(record) });
  call.send({ inboxEnd: { count: stored.length } });
};
