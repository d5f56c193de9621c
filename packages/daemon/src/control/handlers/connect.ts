import { BadControlRequestError } from '@p2p/control';
import { DialError, isPeerIdString } from '@p2p/core';
import { parseHostPort } from '../../config/parse-values.js';
import { InvalidConfigValueError } from '../../errors.js';
import type { ControlHandler } from '../handler-types.js';

/** connect: opens a session to HOST:PORT now (proving the peer ID when one is given) and names the peer there. */
export const handleConnect: ControlHandler = async (request, _call, { node, defaultTimeoutMs, now }) => {
  let address;
  try {
    address = parseHostPort('address', request.connect?.address ?? '', false);
  } catch (err) {
    if (err instanceof InvalidConfigValueError) throw new BadControlRequestError(err.message);
    throw err;
  }
  const expected = request.connect?.peerId?.trim().toLowerCase() || undefined;
  if (expected && !isPeerIdString(expected)) throw new BadControlRequestError(`${JSON.stringify(request.connect?.peerId)} is not a peer ID`);
  const timeoutMs = request.connect?.timeoutMs || defaultTimeoutMs;
  const began = now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DialError(`${address.host}:${address.port}`, `no session within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const peerId = await Promise.race([node.connect(address, expected), timeout]);
    const name = node.peers().find((p) => p.peerId === peerId)?.name ?? '';
    return { connect: { peerId, name, elapsedMs: now() - began } };
  } finally {
    clearTimeout(timer);
  }
};
