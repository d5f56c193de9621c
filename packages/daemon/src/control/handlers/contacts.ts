import { BadControlRequestError } from '@p2p/control';
import type { ControlHandler } from '../handler-types.js';

/** contacts: lists, pins, renames or forgets names bound to keys; answers with the book after the change. */
export const handleContacts: ControlHandler = async (request, _call, { contacts }) => {
  if (!contacts) throw new BadControlRequestError('this daemon keeps no contact book');
  return { contacts: await contacts.handle(request.contacts ?? {}) };
};
