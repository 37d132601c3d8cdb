import { connect } from "node:net";

export interface TcpExchange {
  /** Everything received before the connection ended, failed or the deadline passed. */
  data: Buffer;
  /** Body bytes after the HTTP header block (all bytes when there is none). */
  bodyBytes: number;
  /** How the exchange ended. */
  ended: "closed" | "error" | "deadline";
  /** The socket error code (ECONNREFUSED, ECONNRESET, ...) when ended is "error". */
  errorCode: string | undefined;
  /** Milliseconds from connect call to end. */
  elapsedMs: number;
  /** Milliseconds from connect call to the first byte received, if any. */
  firstByteMs: number | undefined;
}

/**
 * Sends one HTTP/1.1 GET over raw TCP to 127.0.0.1:port and records what happens at the socket level, so
 * resets, early closes and stalls are visible. Always ends by the deadline; with keep-alive the server
 * leaves the connection open, so only a close by the proxy (or the deadline) ends it.
 */
export function tcpExchange(
  port: number,
  path = "/",
  deadlineMs = 3000,
  connection: "close" | "keep-alive" = "close",
): Promise<TcpExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let firstByteMs: number | undefined;
    let done = false;
    const socket = connect({ host: "127.0.0.1", port });
    const finish = (ended: TcpExchange["ended"], errorCode?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const headerEnd = data.indexOf("\r\n\r\n");
      resolve({
        data,
        bodyBytes: headerEnd >= 0 ? data.length - headerEnd - 4 : data.length,
        ended,
        errorCode,
        elapsedMs: performance.now() - started,
        firstByteMs,
      });
    };
    const timer = setTimeout(() => finish("deadline"), deadlineMs);
    socket.on("connect", () =>
      socket.write(`GET ${path} HTTP/1.1\r\nHost: upstream\r\nConnection: ${connection}\r\n\r\n`),
    );
    socket.on("data", (chunk) => {
      firstByteMs ??= performance.now() - started;
      chunks.push(chunk);
    });
    socket.on("end", () => finish("closed"));
    socket.on("close", () => finish("closed"));
    socket.on("error", (err: NodeJS.ErrnoException) => finish("error", err.code));
  });
}
