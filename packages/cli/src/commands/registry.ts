import type { CommandModule } from 'yargs';
import type { GlobalArgs } from '../context.js';
import { chatCommand } from './chat.js';
import { cliqueCommand } from './clique.js';
import { connectCommand } from './connect.js';
import { contactsCommand } from './contacts.js';
import { downloadsCommand } from './downloads.js';
import { filesCommand } from './files.js';
import { getCommand } from './get.js';
import { searchCommand } from './search.js';
import { shareCommand } from './share.js';
import { unshareCommand } from './unshare.js';
import { inboxCommand } from './inbox.js';
import { peersCommand } from './peers.js';
import { pingCommand } from './ping.js';
import { sendCommand } from './send.js';
import { statusCommand } from './status.js';

/**
 * Every command that talks to the daemon, in --help order: one file per command, one line here to register it
 * (completion is added by the bin entry, as it needs the finished parser).
 */
export const COMMANDS: readonly CommandModule<GlobalArgs, any>[] = [
  statusCommand, peersCommand, sendCommand, inboxCommand, chatCommand, pingCommand, connectCommand, cliqueCommand, contactsCommand,
  shareCommand, unshareCommand, filesCommand, searchCommand, getCommand, downloadsCommand,
];
