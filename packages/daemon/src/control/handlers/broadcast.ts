import type { ControlHandler } from '../handler-types.js';
import { checkText } from './checks.js';

/** broadcast: a chat line to every node. */
export const handleBroadcast: ControlHandler = (request, _call, { node }) => {
  const result = node.broadcast(checkText(request.broadcast?.text));
  return { broadcast: { messageId: result.messageId, sentTo: result.sentTo } };
};
