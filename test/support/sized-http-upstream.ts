import { createServer, type Server } from "node:http";

export interface SizedHttpUpstream {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server answering `GET /bytes/<n>` with n bytes of "x" (any other path: "ok"), so tests
 * can see how many bytes, and how fast, came through a proxy. The connection stays open only when the
 * request asks for keep-alive, as a real service would.
 */
export async function startSizedHttpUpstream(): Promise<SizedHttpUpstream> {
  const server: Server = createServer((req, res) => {
    const n = Number(/^\/bytes\/(\d+)$/.exec(req.url ?? "")?.[1] ?? -1);
    const body = n >= 0 ? Buffer.alloc(Math.min(n, 10_000_000), "x") : Buffer.from("ok");
    res.writeHead(200, { "content-length": body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("upstream has no port");
  return {
    port: addr.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
