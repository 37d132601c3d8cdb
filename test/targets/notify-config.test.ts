import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { validateFiles } from "../../src/experiment/validate-files.js";
import { clearSecrets, redact } from "../../src/redact/redact.js";
import { planNotifiers } from "../../src/report/notify/plan-notifiers.js";
import { resolveNotifiers } from "../../src/targets/notifier-credentials.js";
import { notifySelectionIssues } from "../../src/targets/notify-selection.js";
import { loadTargetsText } from "../../src/targets/targets-loader.js";
import { at, issuesOf, lines } from "../experiment/issues-of.js";

const HEAD = ["apiVersion: gameday/v1", "kind: Targets", "targets:", "  staging:", "    notify:"];

afterEach(() => {
  vi.unstubAllEnvs();
  clearSecrets();
});

describe("a target's notify entries", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-notify-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("are read with their secrets, which are masked from then on", async () => {
    await writeFile(join(dir, "hmac"), "file-hmac-key-99\n");
    vi.stubEnv("SLACK_URL", "https://hooks.example.test/services/T1/B2/slackTokenAbc");
    vi.stubEnv("GRAFANA_TOKEN", "glsa_grafana_tok");
    const text = lines(
      ...HEAD,
      `      ops: { format: webhook, url: "https://hooks.internal/gameday", secret: { file: ${join(dir, "hmac")} } }`,
      "      team: { format: slack, url: { env: SLACK_URL }, events: [aborted, verdict] }",
      "      grafana: { format: grafana, url: https://grafana.internal, token: { env: GRAFANA_TOKEN }, tags: [chaos] }",
    );
    const { targets } = loadTargetsText(text, "targets.yaml");
    const target = targets.targets.staging;
    if (!target) throw new Error("no target");
    const resolved = resolveNotifiers("staging", target, "targets.yaml");
    expect(resolved.map((r) => [r.name, r.format, r.url])).toEqual([
      ["ops", "webhook", "https://hooks.internal/gameday"],
      ["team", "slack", "https://hooks.example.test/services/T1/B2/slackTokenAbc"],
      ["grafana", "grafana", "https://grafana.internal"],
    ]);
    expect(resolved[0]?.secret).toBe("file-hmac-key-99");
    expect(resolved[0]?.events).toHaveLength(6);
    expect(resolved[1]?.events).toEqual(["aborted", "verdict"]);
    expect(resolved[2]).toMatchObject({ token: "glsa_grafana_tok", tags: ["chaos"] });
    const printed = redact(
      "key file-hmac-key-99 url https://hooks.example.test/services/T1/B2/slackTokenAbc token glsa_grafana_tok",
    );
    expect(printed).toBe("key *** url *** token ***");
    // A game day's selection keeps only the names it lists.
    expect(resolveNotifiers("staging", target, "targets.yaml", ["grafana"]).map((r) => r.name)).toEqual([
      "grafana",
    ]);
  });

  it("bad entries are located errors naming the field", async () => {
    const text = lines(
      ...HEAD,
      '      team: { format: slack, url: "https://hooks.example.test/services/T1/B2/x" }',
      "      ops: { format: webhook, url: file:///etc/passwd, token: { env: T } }",
      "      Bad_Name: { format: webhook, url: https://a.internal }",
      "      g: { format: pager, url: https://a.internal }",
      "      gr: { format: grafana, url: https://grafana.internal, events: [verdict] }",
    );
    const issues = await issuesOf(() => loadTargetsText(text, "targets.yaml"));
    expect(issues).toEqual([
      {
        file: "targets.yaml",
        ...at(text, 6, '"https'),
        path: "targets.staging.notify.team.url",
        message:
          "a Slack incoming-webhook URL carries its token: give it as url: { file: path } or { env: NAME }, never inline",
      },
      expect.objectContaining({
        ...at(text, 7, "file:///"),
        path: "targets.staging.notify.ops.url",
        message: expect.stringContaining('expected an http or https URL, found the scheme "file:"'),
      }),
      expect.objectContaining({
        ...at(text, 7, "{ env: T }"),
        path: "targets.staging.notify.ops.token",
        message: "token is for format grafana only",
      }),
      expect.objectContaining({
        ...at(text, 9, "pager"),
        path: "targets.staging.notify.g.format",
        message: 'expected one of "webhook", "slack", "grafana", found "pager"',
      }),
      expect.objectContaining({
        line: 10,
        path: "targets.staging.notify.gr.events",
        message: "events is for formats webhook and slack only: grafana always annotates every fault window",
      }),
    ]);
    // Names are checked once every entry is valid.
    const named = lines(...HEAD, "      Bad_Name: { format: webhook, url: https://a.internal }");
    expect(await issuesOf(() => loadTargetsText(named, "targets.yaml"))).toEqual([
      expect.objectContaining({
        line: 6,
        path: "targets.staging.notify.Bad_Name",
        message:
          'expected a notifier name of lowercase letters, digits and dashes (at most 63), found "Bad_Name"',
      }),
    ]);
  });

  it("a secret that cannot be read is an input error naming the targets file and field, never a value", async () => {
    vi.stubEnv("SLACK_URL", "not a url: but-a-Secret-Value");
    const text = lines(
      ...HEAD,
      "      ops: { format: webhook, url: https://hooks.internal, secret: { env: MISSING_KEY } }",
      "      team: { format: slack, url: { env: SLACK_URL } }",
    );
    const target = loadTargetsText(text, "targets.yaml").targets.targets.staging;
    if (!target) throw new Error("no target");
    const issues = await issuesOf(() => resolveNotifiers("staging", target, "/etc/gameday/targets.yaml"));
    expect(issues).toEqual([
      {
        file: "/etc/gameday/targets.yaml",
        path: "targets.staging.notify.ops.secret",
        message: "the environment variable MISSING_KEY is not set",
      },
      {
        file: "/etc/gameday/targets.yaml",
        path: "targets.staging.notify.team.url",
        message: expect.stringMatching(/^the URL read from it is not an http\(s\) URL with a host/),
      },
    ]);
    expect(JSON.stringify(issues)).not.toContain("but-a-Secret-Value");
  });

  it("a URL from a secret that parses with a scheme: no part of it is quoted", async () => {
    vi.stubEnv("SLACK_URL", "xoxbsecret4242:T0/B0/abc");
    const text = lines(...HEAD, "      team: { format: slack, url: { env: SLACK_URL } }");
    const target = loadTargetsText(text, "targets.yaml").targets.targets.staging;
    if (!target) throw new Error("no target");
    const issues = await issuesOf(() => resolveNotifiers("staging", target, "/etc/gameday/targets.yaml"));
    expect(issues).toEqual([
      expect.objectContaining({
        path: "targets.staging.notify.team.url",
        message: expect.stringContaining("is not an http(s) URL with a host"),
      }),
    ]);
    expect(JSON.stringify(issues)).not.toContain("xoxbsecret4242");
  });
});

describe("a game day's spec.notify", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-notify-gd-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const targetsText = lines(
    ...HEAD,
    "      ops: { format: webhook, url: https://hooks.internal }",
    "      grafana: { format: grafana, url: https://grafana.internal }",
  );
  const loaded = loadTargetsText(targetsText, "targets.yaml");
  const staging = { name: "staging", target: loaded.targets.targets.staging ?? {} } as never;

  it("may only name notifiers its targets configure: an unknown name is an issue at its line", () => {
    const day = lines(
      "apiVersion: gameday/v1",
      "kind: GameDay",
      "metadata: { name: d }",
      "spec:",
      "  experiments: [e.yaml]",
      "  notify: [ops, grafanna]",
    );
    expect(
      notifySelectionIssues({ file: "d.yaml", text: day, notify: ["ops", "grafanna"], targets: [staging] }),
    ).toEqual([
      {
        file: "d.yaml",
        ...at(day, 6, "grafanna"),
        path: "spec.notify[1]",
        message:
          'unknown notifier "grafanna": the targets file configures ops, grafana for staging; did you mean "grafana"?',
      },
    ]);
  });

  it("gameday validate checks the selection against the targets file", async () => {
    await writeFile(join(dir, "targets.yaml"), targetsText);
    await writeFile(
      join(dir, "e.yaml"),
      lines(
        "apiVersion: gameday/v1",
        "kind: Experiment",
        "metadata: { name: e }",
        "spec:",
        "  target: staging",
        "  faults: [{ name: f, at: 0s, for: 1s, toxiproxy: { proxy: p, toxic: timeout } }]",
      ),
    );
    const day = lines(
      "apiVersion: gameday/v1",
      "kind: GameDay",
      "metadata: { name: d }",
      "spec:",
      "  experiments: [e.yaml]",
      "  notify: [nobody]",
    );
    await writeFile(join(dir, "d.yaml"), day);
    const results = await validateFiles([join(dir, "d.yaml")], { targetsFile: join(dir, "targets.yaml") });
    expect(results[0]?.issues).toEqual([
      expect.objectContaining({
        file: join(dir, "d.yaml"),
        line: 6,
        path: "spec.notify[0]",
        message: expect.stringContaining('unknown notifier "nobody"'),
      }),
    ]);
  });

  it("planNotifiers: no selection means all, [] means none, a selection keeps its names", () => {
    const entry = { targetName: "staging", target: loaded.targets.targets.staging as never };
    const names = (notify?: string[]) =>
      planNotifiers([{ ...entry, suite: { file: "d.yaml", notify } }], "targets.yaml")[0]?.map((n) => n.name);
    expect(names()).toEqual(["ops", "grafana"]);
    expect(names([])).toEqual([]);
    expect(names(["grafana"])).toEqual(["grafana"]);
    expect(planNotifiers([entry], "targets.yaml")[0]?.map((n) => n.name)).toEqual(["ops", "grafana"]);
  });
});
