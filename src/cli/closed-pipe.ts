/**
 * `gameday schema | head` closes stdout early: the reader has all it wanted, so that is not an
 * error worth a stack trace. Leave quietly with the exit code the command had so far.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(process.exitCode ?? 0);
  });
}
