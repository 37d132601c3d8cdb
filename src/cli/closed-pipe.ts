/**
 * `gameday schema | head` closes stdout early: the reader has all it wanted, so that is not an
 * error worth a stack trace. Later writes are dropped quietly and the command carries on to its
 * normal end: never exit here, since a `gameday run` piped into `head` must still roll back.
 */
export function ignoreClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE" || err.code === "ERR_STREAM_DESTROYED") return;
    throw err;
  });
}
