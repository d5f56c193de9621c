/** What the node does about a peer after its session closed. */
export interface CloseVerdict {
  /** Do not dial the peer for this long (it refused us, trimmed us, or left). */
  holdOffMs: number;
  /** Count the peer as dead for this long. */
  deadMs: number;
  /** A seed forgets the peer's registration at once (it said it is shutting down). */
  forgetRegistration: boolean;
  /** The peer may have crashed: tell the seeds, and a seed checks for itself. */
  suspect: boolean;
}

/**
 * Decides from a session's close reason (as Session records it: `goodbye:<REASON> (...)` when the peer said
 * Goodbye, `local:<REASON>` when this node closed it, `dead: ...` after missed pings, `socket-...` when the
 * connection dropped without a word) how to treat the peer. A peer that said Goodbye is alive, whatever the reason.
 */
export function closeVerdict(reason: string): CloseVerdict {
  const v: CloseVerdict = { holdOffMs: 0, deadMs: 0, forgetRegistration: false, suspect: false };
  if (reason.startsWith('goodbye:')) {
    const what = reason.slice('goodbye:'.length);
    if (what.startsWith('SHUTDOWN')) {
      v.deadMs = 5_000;
      v.forgetRegistration = true;
    } else if (what.startsWith('TOO_MANY_PEERS') || what.startsWith('REBALANCE')) v.holdOffMs = 10_000;
    else v.holdOffMs = 5_000;
  } else if (reason.startsWith('socket')) {
    v.deadMs = 3_000;
    v.suspect = true;
  }
  return v;
}
