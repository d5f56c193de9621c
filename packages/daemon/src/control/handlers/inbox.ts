import { DaemonBusyError, inboxEntry } from '@p2p/control';
import { streamInbox, type InboxRecord } from '../../inbox/index.js';
import type { ControlHandler } from '../handler-types.js';

/**
 * inbox: the stored entries (the last `limit` when given), read from the file at the client's pace, an InboxEnd,
 * and with `follow` every new entry as it is stored, until the client goes. The live part is subscribed at the
 * snapshot, so nothing is missed or repeated between the two.
 */
export const handleInbox: ControlHandler = async (request, call, { inbox, contacts }) => {
  // The author as this node calls it: a contact's name, or name~id when the name belongs to another key here.
  const entry = (record: InboxRecord) => {
    const e = inboxEntry(record);
    return contacts && record.fromPeerId ? { ...e, from: contacts.label(record.fromPeerId, record.from) } : e;
  };
  const follow = request.inbox?.follow === true;
  let gone = false;
  let overflowed = false;
  const send = (body: Parameters<typeof call.send>[0]): boolean => {
    if (!gone && !call.send(body)) gone = true;
    return !gone;
  };
  await streamInbox(inbox, {
    limit: request.inbox?.limit ?? 0,
    follow,
    onUnsubscribe: (unsubscribe) => {
      if (follow) call.keepOpen(() => {
        gone = true;
        unsubscribe();
      });
    },
  }, {
    entry: (record) => send({ inboxEntry: entry(record) }),
    end: (count) => send({ inboxEnd: { count } }),
    drained: () => call.drained(),
    overflow: () => (overflowed = true),
    gone: () => gone,
  });
  if (overflowed) throw new DaemonBusyError('the inbox follow fell too far behind while the stored entries were sent');
};
