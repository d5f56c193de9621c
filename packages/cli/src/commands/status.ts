import type { CommandModule } from 'yargs';
import type { ControlResponse } from '@p2p/control';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatBytes, formatUptime, printJson, printLine, terminalSafe } from '../format/index.js';

/** The inbox part of `p2p-cli status --json`. */
function inboxJson(i: NonNullable<NonNullable<ControlResponse['status']>['inbox']>) {
  return {
    messages: Number(i.messages ?? 0), bytes: Number(i.bytes ?? 0), quotaBytes: Number(i.quotaBytes ?? 0), disk: i.disk || 'ok',
    lastError: i.lastError ?? '', lastErrorAt: i.lastErrorAt ?? '', refused: Number(i.refused ?? 0), writeFailures: Number(i.writeFailures ?? 0),
  };
}

/** `p2p-cli status`: who the local daemon is, its version and uptime. */
export const statusCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'status',
  describe: 'peer ID, name, role, listen address, protocol, peer count, version, uptime and inbox (size, quota, disk) of the local daemon',
  builder: (y) => y.example('$0 status', 'show the daemon').example('$0 status --json', '{"peerId":...,"peers":2,"version":"0.1.0","uptimeSeconds":42.1,"inbox":{...}}'),
  handler: async (args) => {
    const { status } = await withClient(args, (client) => client.call({ status: {} }));
    const s = {
      peerId: status?.peerId ?? '', name: status?.name ?? '', role: status?.role ?? '', listen: status?.listen ?? '',
      protocol: status?.protocol ?? 0, peers: status?.peers ?? 0, version: status?.version ?? '', uptimeSeconds: status?.uptimeSeconds ?? 0,
      ...(status?.inbox ? { inbox: inboxJson(status.inbox) } : {}),
    };
    if (args.json) return printJson(s);
    printLine(`${colors.bold(terminalSafe(s.name))} ${colors.dim(`(${terminalSafe(s.role)})`)}`);
    printLine(`  peer ID   ${s.peerId}`);
    printLine(`  listen    ${s.listen}`);
    printLine(`  protocol  v${s.protocol}`);
    printLine(`  peers     ${s.peers} connected`);
    printLine(`  version   p2pd ${s.version || 'unknown (older than 0.1.0)'}`);
    printLine(`  uptime    ${formatUptime(s.uptimeSeconds)}`);
    if (s.inbox) {
      const i = s.inbox;
      printLine(`  inbox     ${i.messages} messages, ${formatBytes(i.bytes)} of ${formatBytes(i.quotaBytes)}${i.refused ? `, ${i.refused} refused (inbox full)` : ''}`);
      if (i.disk !== 'ok') printLine(`  disk      ${colors.red(i.disk === 'full' ? 'FULL' : 'FAILING')}: new messages are not delivered (${i.lastError}, ${i.lastErrorAt})`);
    }
  },
};
