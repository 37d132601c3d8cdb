import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { startToxiproxyFixture, type ToxiproxyFixture } from "./toxiproxy/toxiproxy-fixture.js";

/**
 * The CLI against a private real Toxiproxy (a free loopback port, so no shared port is used):
 * recover during a live run, a toxic removed under a live run, a leftover at preflight, --dry-run
 * wording, and a hostile toxic name read back from the server.
 */
const INSTALL = "itest-cli";
let fx: ToxiproxyFixture;
let dir: string;

beforeAll(async () => {
  fx = await startToxiproxyFixture();
});
afterEach(() => fx.reset());
afterAll(() => fx.stop());

function files(forS = 6) {
  dir = mkdtempSync(join(tmpdir(), "gameday-recover-"));
  const targets = join(dir, "targets.yaml");
  writeFileSync(
    targets,
    `apiVersion: gameday/v1
kind: Targets
installation: ${INSTALL}
targets:
  local:
    toxiproxy: { url: "${fx.url}", proxies: [payments, inventory] }
`,
  );
  const exp = join(dir, "exp.yaml");
  writeFileSync(
    exp,
    `apiVersion: gameday/v1
kind: Experiment
metadata: { name: live-run }
spec:
  target: local
  sampleInterval: 200ms
  faults:
    - { name: slow, at: 0s, for: ${forS}s, toxiproxy: { proxy: payments, toxic: latency, latency: 50ms } }
  recovery: { within: 1s }
`,
  );
  return { targets, exp, stateDir: join(dir, "state") };
}

const ourToxics = async () =>
  (await fx.proxy("payments")).toxics.map((t) => t.name).filter((n) => n.startsWith("gameday"));

async function waitForToxic(): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const [name] = await ourToxics();
    if (name) return name;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the run never injected its toxic");
}

describe("recover, live runs and leftovers, through the CLI", () => {
  it("recover during a live run skips it (and --force is named); the run then passes", async () => {
    const f = files();
    const run = runCli(["run", f.exp, "--targets", f.targets, "--state-dir", f.stateDir]);
    const tag = await waitForToxic();
    expect(tag).toMatch(new RegExp(`^gameday@${INSTALL}\\.`));
    const rec = await runCli(["recover", "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toContain(`skipped ${tag}`);
    expect(rec.stdout).toContain("is live");
    expect(rec.stdout).toContain("--force");
    expect(rec.stdout).not.toMatch(/[1-9]\d* of \d+ orphaned faults reverted/);
    expect(await ourToxics()).toEqual([tag]);
    const res = await run;
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(await ourToxics()).toEqual([]);
  });

  it("a live run whose toxic someone removes ends as an error (exit 5) saying so", async () => {
    const f = files(20);
    const run = runCli(["run", f.exp, "--targets", f.targets, "--state-dir", f.stateDir]);
    const tag = await waitForToxic();
    await fx.removeToxic("payments", tag);
    const res = await run;
    expect(res.code, res.stdout + res.stderr).toBe(5);
    expect(res.stdout + res.stderr).toContain(
      `toxic "${tag}" was removed from proxy payments by someone else`,
    );
  });

  it("preflight refuses a leftover (exit 4) naming the run; recover --dry-run says would; recover removes it", async () => {
    const f = files(1);
    const leftover = `gameday@${INSTALL}.20260101t000000-dead01.slow`;
    await fetch(`${fx.url}/proxies/payments/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: leftover, type: "latency", attributes: { latency: 5 } }),
    });
    const res = await runCli(["run", f.exp, "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(res.code, res.stdout + res.stderr).toBe(4);
    const out = res.stdout + res.stderr;
    expect(out).toContain("run 20260101t000000-dead01");
    expect(out).toContain("gameday recover --target local --run 20260101t000000-dead01");

    const dry = await runCli(["recover", "--dry-run", "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`would revert ${leftover}`);
    expect(dry.stdout).toContain("dry run: 1 orphaned faults would be reverted; nothing touched");
    expect(dry.stdout).not.toContain("reverted ");
    expect(await ourToxics()).toEqual([leftover]);

    const rec = await runCli(["recover", "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(rec.stdout).toContain("1 of 1 orphaned faults reverted");
    expect(await ourToxics()).toEqual([]);
    const again = await runCli(["run", f.exp, "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
  });

  it("a toxic name read back from the server never changes the path: ../ cannot reach the proxy", async () => {
    const f = files(1);
    for (const name of ["gameday.x/../../../payments", `gameday@${INSTALL}.x/../../../payments.slow`])
      await fetch(`${fx.url}/proxies/inventory/toxics`, {
        method: "POST",
        body: JSON.stringify({ name, type: "latency", attributes: { latency: 5 } }),
      });
    const listed = (await fx.proxy("inventory")).toxics.map((t) => t.name);
    expect(listed.length).toBeGreaterThan(0); // Toxiproxy kept them: the hostile names are really there
    const rec = await runCli(["recover", "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(rec.code).toBe(5); // refused, loudly: such a name is not gameday's
    expect(rec.stderr).toContain("cannot be used in a Toxiproxy API path");
    expect((await fx.proxy("payments")).name).toBe("payments"); // the proxy was not deleted
    expect((await fx.proxy("inventory")).name).toBe("inventory");
  });

  it("recover touches only allow-listed proxies and other installations' toxics stay", async () => {
    const f = files(1);
    const foreign = "gameday@elsewhere.r1.slow";
    const outside = `gameday@${INSTALL}.r2.slow`;
    await fetch(`${fx.url}/proxies/payments/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: foreign, type: "latency", attributes: { latency: 5 } }),
    });
    await fetch(`${fx.url}/proxies/ledger/toxics`, {
      method: "POST",
      body: JSON.stringify({ name: outside, type: "latency", attributes: { latency: 5 } }),
    });
    const rec = await runCli(["recover", "--targets", f.targets, "--state-dir", f.stateDir]);
    expect(rec.stdout).toContain(`skipped ${foreign}`);
    expect(rec.stdout).toContain("owned by installation elsewhere");
    expect(await ourToxics()).toEqual([foreign]);
    expect((await fx.proxy("ledger")).toxics.map((t) => t.name)).toEqual([outside]);
  });
});
