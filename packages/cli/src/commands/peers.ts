import type { CommandModule } from 'yargs';
import { fetchPeerTable } from '@p2p/control';
import { shortPeerId } from '@p2p/core';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatRtt, formatTable, printJson, printLine, terminalSafe } from '../format/index.js';

/** `p2p-cli peers`: the daemon's peer table (any size: it arrives in pages). */
export const peersCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'peers',
  describe: 'connected and known peers with name, address, state and round-trip time',
  builder: (y) => y.example('$0 peers', 'list peers, connected first').example('$0 peers --json', '[{"peerId":...,"state":"connected","rttMs":0.4}]'),
  handler: async (args) => {
    const rows = await withClient(args, fetchPeerTable);
    if (args.json) return printJson(rows);
    if (rows.length === 0) return printLine(colors.dim('no peers yet'));
    const stateColor = (state: string, text: string) =>
      state === 'connected' ? colors.green(text) : state === 'dead' ? colors.red(text) : colors.yellow(text);
    printLine(formatTable(
      ['NAME', 'PEER ID', 'ADDRESS', 'STATE', 'RTT'],
      rows.map((r) => [r.name, shortPeerId(r.peerId), r.address, r.state, formatRtt(r.rttMs)].map(terminalSafe)),
      (row, column, text) => (column === 3 ? stateColor(rows[row]!.state, text) : text),
    ));
  },
};
