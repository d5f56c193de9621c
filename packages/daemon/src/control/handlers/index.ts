import type { CallName, ControlHandler } from '../handler-types.js';
import { handleBroadcast } from './broadcast.js';
import { handleConnect } from './connect.js';
import { handleContacts } from './contacts.js';
import { handleDownloads } from './downloads.js';
import { handleFiles } from './files.js';
import { handleGet } from './get.js';
import { handleSearch } from './search.js';
import { handleShare, handleUnshare } from './share.js';
import { handleInbox } from './inbox.js';
import { handleInboxPrune } from './inbox-prune.js';
import { handlePeers } from './peers.js';
import { handlePing } from './ping.js';
import { handleSend } from './send.js';
import { handleStatus } from './status.js';

/** Every call the daemon serves, by Request.call: one file per handler, one line here to register it. */
export const CONTROL_HANDLERS: Readonly<Partial<Record<CallName, ControlHandler>>> = {
  status: handleStatus,
  peers: handlePeers,
  send: handleSend,
  broadcast: handleBroadcast,
  inbox: handleInbox,
  ping: handlePing,
  connect: handleConnect,
  contacts: handleContacts,
  share: handleShare,
  unshare: handleUnshare,
  files: handleFiles,
  search: handleSearch,
  get: handleGet,
  downloads: handleDownloads,
  inboxPrune: handleInboxPrune,
};

export { MAX_TEXT_BYTES } from './checks.js';
