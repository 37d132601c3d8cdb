import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../support/cli.js";
import { startPrometheus } from "../support/prometheus-server.js";
import { freePort, startToxiproxy } from "../support/toxiproxy-server.js";
import { type RunningService, startCatalog, startPricing } from "./catalog-services.js";
import { commandLines, guideBlocks, words } from "./guide-blocks.js";

const GUIDE = join(REPO, "docs/your-own-stack.md");
const blocks = guideBlocks(GUIDE);

/**
 * The guide, followed from an empty folder against a Toxiproxy, a Prometheus and a catalog
 * service of this test's own (free loopback ports; nothing of the sandbox): the files it shows are
 * written, with the staging hosts replaced as the guide tells the reader to, and its commands run.
 */
describe("docs/your-own-stack.md, followed to a passing experiment", () => {
  const dir = mkdtempSync(join(tmpdir(), "gameday-own-stack-"));
  const stops: (() => Promise<void>)[] = [];
  let hosts: Record<string, string> = {};
  let toxiproxyUrl = "";
  let proxyPort = 0;

  beforeAll(async () => {
    const pricing = await startPricing();
    stops.push(pricing.close);
    const toxiproxy = await startToxiproxy();
    stops.push(toxiproxy.stop);
    toxiproxyUrl = toxiproxy.url;
    // The guide's one-time setup: a proxy in front of the dependency, the service pointed at it.
    proxyPort = await freePort();
    const created = await fetch(`${toxiproxy.url}/proxies`, {
      method: "POST",
      body: JSON.stringify({
        name: "pricing",
        listen: `127.0.0.1:${proxyPort}`,
        upstream: `127.0.0.1:${pricing.port}`,
      }),
    });
    expect(created.status).toBe(201);
    const catalog = await startCatalog(`http://127.0.0.1:${proxyPort}`);
    stops.push(catalog.close);
    const prometheus = await startPrometheus(join(dir, ".prometheus"), {
      catalog: `127.0.0.1:${catalog.port}`,
    });
    stops.push(prometheus.stop);
    hosts = {
      "http://toxiproxy.staging.internal:8474": toxiproxy.url,
      "http://prometheus.staging.internal:9090": prometheus.url,
      "http://catalog.staging.internal:8080": catalog.url,
    };
  });

  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ours = (text: string) =>
    Object.entries(hosts).reduce((t, [from, to]) => t.replaceAll(from, to), text);

  it("shows exactly the files in docs/examples/ (guide and examples cannot drift)", () => {
    const shown = blocks.filter((b) => / = |^same as /.test(b.directive));
    expect(shown.length).toBeGreaterThanOrEqual(3);
    for (const b of shown) {
      const example = (b.directive.split(/ = |^same as /).at(-1) ?? "").trim();
      expect(b.body, `${GUIDE}: the block above ${example} differs from the file`).toBe(
        readFileSync(join(REPO, example), "utf8"),
      );
    }
  });

  it("writes the guide's files, runs its commands in order, and the experiment passes", {
    timeout: 240_000,
  }, async () => {
    for (const b of blocks.filter((x) => x.directive.startsWith("file "))) {
      const name = (b.directive.slice("file ".length).split(" = ")[0] ?? "").trim();
      const text = ours(b.body);
      expect(text, `${name}: a staging host is left that the test does not replace`).not.toContain(
        "staging.internal",
      );
      writeFileSync(join(dir, name), text);
    }
    const commands = blocks.filter((b) => b.directive === "run").flatMap(commandLines);
    expect(commands.map((c) => c.split(" ")[1])).toEqual(["validate", "plan", "run"]);
    const outputs: string[] = [];
    for (const line of commands) {
      const [program, ...args] = words(line);
      expect(program).toBe("gameday");
      // A clean shell: no targets file from the environment, the folder's own ./targets.yaml.
      const res = await runCli(args, { cwd: dir, env: { GAMEDAY_TARGETS: "" }, timeoutMs: 200_000 });
      expect(res.code, `${line}\n${res.stdout}\n${res.stderr}`).toBe(0);
      outputs.push(res.stdout + res.stderr);
    }
    const [validated, planned, ran] = outputs;
    expect(validated).toContain("2 valid, 0 invalid");
    expect(planned).toContain("fault slow-pricing at +2s for 15s");
    expect(planned).toContain(`touches ${toxiproxyUrl}/proxies/pricing`);
    expect(planned).toContain(
      "eventually: at least once within 10s of the start of fault slow-pricing, +2s..+12s",
    );
    expect(planned).toContain("preflight: ok");
    expect(ran).toMatch(/passed/i);
    const junit = readFileSync(join(dir, "reports/junit.xml"), "utf8");
    expect(junit).toContain("pricing-latency-falls-back");
    expect(junit).toMatch(/failures="0"/);
    expect(existsSync(join(dir, "reports/report.md"))).toBe(true);
    // Rolled back: the proxy is clean again.
    const proxy = (await (await fetch(`${toxiproxyUrl}/proxies/pricing`)).json()) as { toxics: unknown[] };
    expect(proxy.toxics).toEqual([]);
  });

  it("fails (exit 1) against a regressed catalog whose timeout no longer bounds the slow dependency", {
    timeout: 240_000,
  }, async () => {
    // The same files, a second catalog with a 5 s timeout: the experiment must catch it.
    let regressed: RunningService | undefined;
    try {
      regressed = await startCatalog(`http://127.0.0.1:${proxyPort}`, { timeoutMs: 5000 });
      const targets = readFileSync(join(dir, "targets.yaml"), "utf8").replaceAll(
        hosts["http://catalog.staging.internal:8080"] as string,
        regressed.url,
      );
      writeFileSync(join(dir, "targets-regressed.yaml"), targets);
      const res = await runCli(["run", "--targets", "targets-regressed.yaml", "pricing-latency.yaml"], {
        cwd: dir,
        env: { GAMEDAY_TARGETS: "" },
        timeoutMs: 200_000,
      });
      expect(res.code, res.stdout + res.stderr).toBe(1);
      expect(res.stdout + res.stderr).toContain("the timeout bounds latency");
    } finally {
      await regressed?.close();
    }
  });
});
