import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { composePorts } from "../../src/sandbox/docker/compose-ports.js";
import { DEFAULT_PROJECT } from "../../src/sandbox/docker/compose-stack.js";
import { targetsFileSchema } from "../../src/targets/targets-schema.js";

const root = join(import.meta.dirname, "..", "..");

describe("targets.yaml's sandbox-docker entry and docker-compose.yml", () => {
  it("point at the ports and project `gameday sandbox up --runtime docker` uses by default", () => {
    const file = targetsFileSchema.parse(parse(readFileSync(join(root, "targets.yaml"), "utf8")));
    const t = file.targets["sandbox-docker"];
    const p = composePorts();
    expect(t?.docker).toEqual({ socket: "/var/run/docker.sock", projects: [DEFAULT_PROJECT], labels: {} });
    expect(t?.vars.GATEWAY_URL).toBe(`http://127.0.0.1:${p.services.gateway}`);
    expect(t?.toxiproxy?.url).toBe(`http://127.0.0.1:${p.toxiproxy}`);
    expect(t?.prometheus?.url).toBe(`http://127.0.0.1:${p.prometheus}`);
    const compose = readFileSync(join(root, "docker-compose.yml"), "utf8");
    expect(compose).toContain(`\${GAMEDAY_GATEWAY_PORT:-${p.services.gateway}}`);
    expect(compose).toContain(`\${GAMEDAY_TOXIPROXY_PORT:-${p.toxiproxy}}`);
    expect(compose).toContain(`\${GAMEDAY_REDIS_PORT:-${p.redis}}`);
    expect(readFileSync(join(root, ".env"), "utf8")).toContain(`COMPOSE_PROJECT_NAME=${DEFAULT_PROJECT}`);
    // Host networking only: every service, no Docker network of its own.
    const services = (
      parse(compose, { merge: true }) as { services: Record<string, { network_mode?: string }> }
    ).services;
    for (const [name, s] of Object.entries(services)) expect([name, s.network_mode]).toEqual([name, "host"]);
  });
});
