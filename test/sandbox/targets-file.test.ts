import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sandboxEndpoints } from "../../src/sandbox/sandbox-endpoints.js";
import { resolveLayout } from "../../src/sandbox/sandbox-layout.js";
import { targetsFileSchema } from "../../src/targets/targets-schema.js";

describe("targets.yaml", () => {
  it("describes the sandbox exactly where `gameday sandbox up` puts it", () => {
    const file = targetsFileSchema.parse(
      parse(readFileSync(join(import.meta.dirname, "..", "..", "targets.yaml"), "utf8")),
    );
    const ep = sandboxEndpoints(resolveLayout({ portOffset: 0 }), []);
    const sandbox = file.targets.sandbox;
    expect(sandbox?.vars.GATEWAY_URL).toBe(ep.gatewayUrl);
    expect(sandbox?.toxiproxy).toEqual({ url: ep.toxiproxyUrl, proxies: ep.proxies.map((p) => p.name) });
    expect(sandbox?.prometheus).toEqual({ url: ep.prometheusUrl });
    expect(sandbox?.scrape).toEqual(ep.metricsUrls);
    const app = Object.entries(sandbox?.app?.services ?? {});
    expect(Object.fromEntries(app.map(([n, s]) => [n, s.control]))).toEqual(ep.controlUrls);
    for (const [, s] of app) expect(s.token).toEqual({ file: ".gameday/sandbox/control-token" });
  });
});
