/**
 * Resolves once everything written to `stream` so far has left the process (a pipe may hold it back), or once the
 * stream failed (a reader that went away): either way there is nothing more to wait for. p2pd and p2p-cli await it
 * before exiting, so output piped into another program is never cut short.
 */
export function drained(stream: NodeJS.WriteStream): Promise<void> {
  if (stream.destroyed || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      stream.off('error', done);
      resolve();
    };
    stream.on('error', done);
    stream.write('', () => done());
  });
}
