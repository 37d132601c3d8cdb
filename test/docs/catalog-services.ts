import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
}

function listen(server: Server): Promise<RunningService> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** The guide's "pricing" dependency: answers a price at once. */
export function startPricing(): Promise<RunningService> {
  return listen(
    createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"price":42}');
    }),
  );
}

/**
 * The guide's "catalog": /products calls pricing (through Toxiproxy) with a 300 ms timeout and
 * falls back to list prices, counting fallbacks on its own /metrics in Prometheus text format.
 * `timeoutMs` stands in for a regression (a timeout raised far above the dependency's latency).
 */
export function startCatalog(pricingUrl: string, opts: { timeoutMs?: number } = {}): Promise<RunningService> {
  const timeoutMs = opts.timeoutMs ?? 300;
  let requests = 0;
  let fallbacks = 0;
  return listen(
    createServer(async (req, res) => {
      if (req.url === "/metrics") {
        res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
        res.end(
          [
            "# TYPE catalog_requests_total counter",
            `catalog_requests_total ${requests}`,
            "# TYPE catalog_pricing_fallbacks_total counter",
            `catalog_pricing_fallbacks_total ${fallbacks}`,
            "",
          ].join("\n"),
        );
        return;
      }
      requests++;
      let price: unknown = "list price";
      try {
        const r = await fetch(`${pricingUrl}/price`, { signal: AbortSignal.timeout(timeoutMs) });
        price = ((await r.json()) as { price: unknown }).price;
      } catch {
        fallbacks++;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ products: [{ id: 1, price }] }));
    }),
  );
}
