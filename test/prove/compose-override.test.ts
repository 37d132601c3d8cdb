import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PreflightError } from "../../src/errors/gameday-error.js";
import { mutantSchema } from "../../src/experiment/mutant-schema.js";
import { ConfigInjector } from "../../src/faults/config/config-injector.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { runCli } from "../support/cli.js";
import {
  DOCKER_SOCKET,
  docker,
  removeGroup,
  requireDocker,
  SANDBOX_IMAGE,
  TEST_LABEL,
} from "../support/docker-engine.js";

/** The Compose form of a mutant against the real Docker Engine: recreate with an override, restore the very container. */
const GROUP = "prove-compose";
const PROJECT = "gameday-prove-test";
const target = targetSchema.parse({
  docker: { socket: DOCKER_SOCKET, projects: [PROJECT] },
  mutableEnv: ["SANDBOX_*"],
});
const mutant = mutantSchema.parse({
  name: "no-retries",
  compose: { service: "payments", env: { SANDBOX_BREAK: "retries", SANDBOX_EXTRA: "1" } },
});

let original: Docker.ContainerInspectInfo;

async function serviceContainer(name: string): Promise<Docker.ContainerInspectInfo> {
  const c = await docker.createContainer({
    name,
    Image: SANDBOX_IMAGE,
    // Exits when SANDBOX_CRASH is set: an override whose apply cannot be verified.
    Cmd: ["node", "-e", "if (process.env.SANDBOX_CRASH) process.exit(3); setInterval(() => {}, 1000)"],
    Env: ["SANDBOX_BREAK=", "KEEP=me"],
    Labels: {
      [TEST_LABEL]: GROUP,
      "com.docker.compose.project": PROJECT,
      "com.docker.compose.service": "payments",
    },
    StopSignal: "SIGKILL",
    HostConfig: {
      NetworkMode: "host",
      RestartPolicy: { Name: "unless-stopped", MaximumRetryCount: 0 },
      Memory: 128 * 1024 ** 2,
    },
  });
  await c.start();
  return c.inspect();
}

async function overrides(): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: ["gameday.role=config-override"] } });
}

/** The original is back: same id, name, run state, env, labels and host config. */
async function expectRestored(): Promise<void> {
  const now = await docker.getContainer(original.Id).inspect();
  expect(now.Name).toBe(original.Name);
  expect(now.State.Running).toBe(true);
  expect(now.Config.Env).toEqual(original.Config.Env);
  expect(now.Config.Labels).toEqual(original.Config.Labels);
  expect(now.HostConfig).toEqual(original.HostConfig);
  expect(await overrides()).toEqual([]);
}

beforeAll(async () => {
  await requireDocker();
  await removeGroup(GROUP);
  original = await serviceContainer(`${GROUP}-payments`);
});

afterAll(async () => {
  for (const o of await overrides())
    if (o.Labels[TEST_LABEL] === GROUP) await docker.getContainer(o.Id).remove({ force: true });
  await removeGroup(GROUP);
});

describe("compose override mutant (real Docker Engine)", () => {
  it("refuses an unknown service and a project outside the allow-list, changing nothing", async () => {
    const inj = new ConfigInjector(target);
    const bad = mutantSchema.parse({
      name: "x",
      compose: { service: "nope", env: { SANDBOX_BREAK: "retries" } },
    });
    await expect(inj.planChange(bad)).rejects.toThrow(/has no service "nope"/);
    const other = mutantSchema.parse({
      name: "x",
      compose: { project: "other", service: "payments", env: { SANDBOX_BREAK: "x" } },
    });
    await expect(inj.planChange(other)).rejects.toBeInstanceOf(PreflightError);
    const env = mutantSchema.parse({ name: "x", compose: { service: "payments", env: { PATH: "/x" } } });
    await expect(inj.planChange(env)).rejects.toThrow(/does not allow overriding PATH/);
    expect(await overrides()).toEqual([]);
  });

  it("recreates the service with the override, tags it, and restores the very same container", async () => {
    const inj = new ConfigInjector(target);
    const plan = await inj.planChange(mutant);
    expect(plan.targets).toEqual([original.Name]);
    const active = await inj.apply(plan, { runId: "provetest1", experiment: "g" });
    const [o] = await overrides();
    expect(o?.Labels["gameday.owner"]).toBe("gameday.provetest1.no-retries");
    const now = await docker.getContainer(o?.Id ?? "").inspect();
    expect(now.Name).toBe(original.Name);
    expect(now.State.Running).toBe(true);
    expect(now.Config.Env).toEqual(
      expect.arrayContaining(["KEEP=me", "SANDBOX_BREAK=retries", "SANDBOX_EXTRA=1"]),
    );
    expect(now.Config.Env).not.toContain("SANDBOX_BREAK=");
    expect(now.HostConfig.Memory).toBe(original.HostConfig.Memory);
    expect((await docker.getContainer(original.Id).inspect()).State.Running).toBe(false);
    await expect(active.verifyReverted()).rejects.toThrow(/still applied/);
    await active.revert();
    await active.verifyReverted();
    await active.revert(); // twice is safe
    await expectRestored();
  });

  it("an override that does not come up is reverted, and the apply fails (nothing stays changed)", async () => {
    const inj = new ConfigInjector(target);
    const crash = mutantSchema.parse({
      name: "crash",
      compose: { service: "payments", env: { SANDBOX_CRASH: "1" } },
    });
    await expect(
      inj.apply(await inj.planChange(crash), { runId: "provetest3", experiment: "g" }),
    ).rejects.toThrow(/could not be applied and verified \(reverted\).*(exited|restarting)/);
    await expectRestored();
  });

  it("after the runner died (no journal), gameday recover finds the override by its labels and restores", async () => {
    const inj = new ConfigInjector(target);
    await inj.apply(await inj.planChange(mutant), { runId: "provetest2", experiment: "g" });
    const dir = mkdtempSync(join(tmpdir(), "prove-compose-"));
    const targets = join(dir, "targets.yaml");
    writeFileSync(
      targets,
      `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  compose:\n    docker: { socket: ${DOCKER_SOCKET}, projects: [${PROJECT}] }\n    mutableEnv: [SANDBOX_*]\n`,
    );
    const dry = await runCli(["recover", "--targets", targets, "--dry-run"]);
    expect(dry.stdout).toMatch(
      /would revert gameday\.provetest2\.no-retries \(compose\/config\): prove-compose-payments recreated with \{"SANDBOX_BREAK":"retries","SANDBOX_EXTRA":"1"\}/,
    );
    const r = await runCli(["recover", "--targets", targets], { timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    await expectRestored();
  });
});
