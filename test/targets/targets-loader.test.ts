import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import {
  loadTargets,
  loadTargetsText,
  resolveTarget,
  targetsFilePath,
} from "../../src/targets/targets-loader.js";
import { at, issuesOf, lines } from "../experiment/issues-of.js";

const TARGETS = "test/fixtures/targets/targets.yaml";
const HEAD = ["apiVersion: gameday/v1", "kind: Targets", "targets:"];

describe("loadTargets", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-targets-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  afterEach(() => vi.unstubAllEnvs());

  it("loads and validates the file given, with defaults applied", async () => {
    const loaded = await loadTargets(TARGETS);
    expect(loaded.file).toBe(TARGETS);
    expect(Object.keys(loaded.targets.targets)).toEqual(["sandbox", "staging"]);
    expect(loaded.targets.targets.staging).toEqual({
      vars: { GATEWAY_URL: "http://127.0.0.1:18080" },
      env: [],
      secrets: {},
      hosts: [],
      scrape: {},
      blackouts: [],
    });
  });

  it("takes $GAMEDAY_TARGETS when no file is given, and says so when it is missing", async () => {
    vi.stubEnv("GAMEDAY_TARGETS", TARGETS);
    expect((await loadTargets()).file).toBe(TARGETS);
    vi.stubEnv("GAMEDAY_TARGETS", join(dir, "missing.yaml"));
    expect(await issuesOf(() => loadTargets())).toEqual([
      {
        file: join(dir, "missing.yaml"),
        path: "",
        message: "cannot read the targets file (from $GAMEDAY_TARGETS): no such file",
      },
    ]);
  });

  it("falls back to ./targets.yaml", () => {
    vi.stubEnv("GAMEDAY_TARGETS", "");
    expect(targetsFilePath()).toEqual({ file: "targets.yaml", origin: "default" });
    expect(targetsFilePath("x.yaml")).toEqual({ file: "x.yaml", origin: "argument" });
  });

  it("reports every issue, located like experiment issues", async () => {
    const text = lines(
      ...HEAD,
      "  sandbox:",
      "    vars: { RATE: 50 }",
      "    toxiproxy:",
      "      url: not a url",
      "      proxies: []",
      "    prometheus: { url: http://127.0.0.1:9090, timeout: 1s }",
      "    scrap: {}",
    );
    const issues = await issuesOf(() => loadTargetsText(text, "targets.yaml"));
    expect(issues).toEqual([
      {
        file: "targets.yaml",
        ...at(text, 5, "50"),
        path: "targets.sandbox.vars.RATE",
        message: 'expected a string, found 50: quote it ("50")',
      },
      {
        file: "targets.yaml",
        ...at(text, 7, "not a url"),
        path: "targets.sandbox.toxiproxy.url",
        message: 'expected an http(s) URL, such as "http://127.0.0.1:8080/path", found "not a url"',
      },
      {
        file: "targets.yaml",
        ...at(text, 8, "[]"),
        path: "targets.sandbox.toxiproxy.proxies",
        message: "expected at least 1 item, found an empty list",
      },
      {
        file: "targets.yaml",
        ...at(text, 9, "timeout"),
        path: "targets.sandbox.prometheus.timeout",
        message: 'unknown field "timeout": expected one of url, auth',
      },
      {
        file: "targets.yaml",
        ...at(text, 10, "scrap"),
        path: "targets.sandbox.scrap",
        message: expect.stringMatching(
          /^unknown field "scrap": expected one of description, vars, env, .*scrape.*; did you mean "scrape"\?$/,
        ),
      },
    ]);
  });

  it("YAML errors, empty files and wrong kinds are issues too", async () => {
    expect(await issuesOf(() => loadTargetsText("", "t.yaml"))).toEqual([
      {
        file: "t.yaml",
        line: 1,
        column: 1,
        path: "",
        message:
          "empty file: expected a Targets document (apiVersion: gameday/v1, kind: Targets, targets: ...)",
      },
    ]);
    const experiment = lines("apiVersion: gameday/v1", "kind: Experiment", "spec: {}");
    expect(await issuesOf(() => loadTargetsText(experiment, "t.yaml"))).toMatchObject([
      {
        line: 2,
        column: 7,
        path: "kind",
        message: 'expected kind "Targets", found "Experiment": this is not a Targets file',
      },
    ]);
    const broken = lines(...HEAD, "  sandbox: {", "  other: {}");
    expect((await issuesOf(() => loadTargetsText(broken, "t.yaml")))[0]?.message).toMatch(/^invalid YAML: /);
  });
});

describe("resolveTarget", async () => {
  const loaded = await loadTargets(TARGETS);

  it("returns the named target", () => {
    expect(resolveTarget(loaded.targets, "sandbox", TARGETS).toxiproxy?.proxies).toEqual([
      "payments",
      "inventory",
    ]);
  });

  it("an unknown name is a ValidationError listing the known ones, with the likely one", async () => {
    expect(await issuesOf(() => resolveTarget(loaded, "stagin", "exp.yaml"))).toEqual([
      {
        file: "exp.yaml",
        path: "target",
        message: `unknown target "stagin": expected one of sandbox, staging; did you mean "staging"? (targets file: ${TARGETS})`,
      },
    ]);
    // Names are looked up as own keys: "constructor" is not a target.
    expect(
      (await issuesOf(() => resolveTarget(loaded.targets, "constructor", "exp.yaml")))[0]?.message,
    ).toMatch(/^unknown target "constructor": expected one of sandbox, staging$/);
  });
});
