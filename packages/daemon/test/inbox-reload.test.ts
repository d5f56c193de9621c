/** Inbox quotas change on SIGHUP without a restart: nothing stored is removed, new messages meet the new limit. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { controlCall, eventually, killAll, startP2pd, tempDir } from './daemon-process.js';

afterAll(killAll);

describe('inbox quotas on SIGHUP', () => {
  it('takes a lower quota live: stored messages stay, new ones are told "inbox full"', async () => {
    const dir = await tempDir();
    const file = join(dir, 'p2pd.json');
    await writeFile(file, JSON.stringify({ inboxQuota: '64MiB' }));
    const receiver = await startP2pd(['--name', 'receiver', '--listen', '127.0.0.1:0', '--no-lan', '--config', file], dir);
    const sender = await startP2pd(['--name', 'sender', '--listen', '127.0.0.1:0', '--no-lan']);
    try {
      await controlCall(sender.ready.socket, { connect: { address: receiver.ready.listen, timeoutMs: 10_000 } });
      const send = async (text: string) => (await controlCall(sender.ready.socket, { send: { to: 'receiver', text, timeoutMs: 10_000 } }))[0]?.send?.status;
      expect(await send('kept through the reload')).toBe('delivered');
      await writeFile(file, JSON.stringify({ inboxQuota: '100' }));
      receiver.proc.kill('SIGHUP');
      const quota = async () => Number((await controlCall(receiver.ready.socket, { status: {} }))[0]?.status?.inbox?.quotaBytes);
      await eventually(async () => (await quota()) === 100, 10_000, 'the new quota');
      expect(await send('over the new quota')).toBe('inbox-full');
      const rs = await controlCall(receiver.ready.socket, { inbox: {} }, (x) => x.some((r) => r.inboxEnd));
      expect(rs.flatMap((r) => (r.inboxEntry ? [r.inboxEntry.text] : []))).toEqual(['kept through the reload']);
    } finally {
      await receiver.stop();
      await sender.stop();
    }
  });
});
