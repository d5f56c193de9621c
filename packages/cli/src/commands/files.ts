import type { CommandModule } from 'yargs';
import type { p2p } from '@p2p/core';
import { withClient, type GlobalArgs } from '../context.js';
import { colors, formatBytes, formatTable, printJson, printLine, shortHex } from '../format/index.js';

/** `p2p-cli files`: what this node shares (the list arrives in pages). */
export const filesCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'files',
  describe: 'the files this node shares: name, size, root',
  builder: (y) => y
    .example('$0 files', 'NAME  SIZE  ROOT')
    .example('$0 files --json', '[{"share":"/srv","name":"a.txt","size":2,"root":"...","sha256":"..."}]'),
  handler: async (args) => {
    const rows: p2p.control.v1.ISharedFileEntry[] = [];
    await withClient(args, (c) => c.stream({ files: {} }, (r) => {
      rows.push(...(r.files?.files ?? []));
      return r.files?.more ? undefined : 'done';
    }));
    const out = rows.map((f) => ({ share: f.share ?? '', name: f.name ?? '', size: Number(f.size ?? 0), root: f.root ?? '', sha256: f.sha256 ?? '' }));
    if (args.json) return printJson(out);
    if (out.length === 0) return printLine(colors.dim('nothing shared (p2p-cli share DIR)'));
    printLine(formatTable(['NAME', 'SIZE', 'ROOT', 'SHARE'], out.map((f) => [f.name, formatBytes(f.size), shortHex(f.root), f.share])));
  },
};
