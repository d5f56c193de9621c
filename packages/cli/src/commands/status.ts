import type { CommandModule } from 'yargs';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatUptime, printJson, printLine } from '../format/index.js';

/** `p2p-cli status`: who the local daemon is, its version and uptime. */
export const statusCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'peer ID, name, role, listen address, protocol, peer count, version and uptime of the local daemon',
  builder: (y) => y.example('$0 status', 'show the daemon').example('$0 status --json', '{"peerId":...,"peers":2,"version":"0.1.0","uptimeSeconds":42.1}'),
  handler: async (args) => {
    const { status } = await withClient(args, (client) => client.call({ status: {} }));
    const s = {
      peerId: status?.peerId ?? '', name: status?.name ?? '', role: status?.role ?? '', listen: status?.listen ?? '',
      protocol: status?.protocol ?? 0, peers: status?.peers ?? 0, version: status?.version ?? '', uptimeSeconds: status?.uptimeSeconds ?? 0,
    };
    if (args.json) return printJson(s);
    printLine(`${colors.bold(s.name)} ${colors.dim(`(${s.role})`)}`);
    printLine(`  peer ID   ${s.peerId}`);
    printLine(`  listen    ${s.listen}`);
    printLine(`  protocol  v${s.protocol}`);
    printLine(`  peers     ${s.peers} connected`);
    printLine(`  version   p2pd ${s.version || 'unknown (older than 0.1.0)'}`);
    printLine(`  uptime    ${formatUptime(s.uptimeSeconds)}`);
  },
};
