import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildPayload } from "../../src/queue/build-payload.js";
import { loadPayload } from "../../src/queue/load-payload.js";
import { checkNotifierSecrets } from "../../src/targets/check-notifier-secrets.js";
import { loadTargetsText } from "../../src/targets/targets-loader.js";
import { issuesOf, lines } from "../experiment/issues-of.js";

// The queue's side, without Redis: what a job may say about notifiers (names only) and what the
// worker makes of it (its own targets file's notifiers, nothing else).
const targets = (url: string) =>
  lines(
    "apiVersion: gameday/v1",
    "kind: Targets",
    "targets:",
    "  t:",
    "    toxiproxy: { url: http://127.0.0.1:1, proxies: [p] }",
    "    notify:",
    `      ops: { format: webhook, url: "${url}" }`,
    `      grafana: { format: grafana, url: "${url}" }`,
  );
const experiment = lines(
  "apiVersion: gameday/v1",
  "kind: Experiment",
  "metadata: { name: e }",
  "spec:",
  "  target: t",
  "  faults: [{ name: f, at: 0s, for: 1s, toxiproxy: { proxy: p, toxic: timeout } }]",
);
const day = (notify: string) =>
  lines(
    "apiVersion: gameday/v1",
    "kind: GameDay",
    "metadata: { name: d }",
    "spec:",
    "  experiments: [e.yaml]",
    `  notify: ${notify}`,
  );

describe("queued game days and notifiers", async () => {
  const dir = await mkdtemp(join(tmpdir(), "gameday-notify-queue-"));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  await writeFile(join(dir, "targets.yaml"), targets("http://127.0.0.1:9/enqueuer"));
  await writeFile(join(dir, "e.yaml"), experiment);

  it("enqueue carries the game day's selection by name, and refuses an unknown name at its line", async () => {
    await writeFile(join(dir, "d.yaml"), day("[grafana]"));
    const payload = await buildPayload(join(dir, "d.yaml"), { targetsFile: join(dir, "targets.yaml") });
    expect(payload.notify).toEqual(["grafana"]);
    await writeFile(join(dir, "bad.yaml"), day("[pager]"));
    const issues = await issuesOf(() =>
      buildPayload(join(dir, "bad.yaml"), { targetsFile: join(dir, "targets.yaml") }),
    );
    expect(issues).toEqual([
      expect.objectContaining({
        file: join(dir, "bad.yaml"),
        line: 6,
        path: "spec.notify[0]",
        message: expect.stringContaining('unknown notifier "pager"'),
      }),
    ]);
  });

  it("the worker uses its own targets file's notifiers, selected by the job's names", async () => {
    await writeFile(join(dir, "d.yaml"), day("[grafana]"));
    const payload = await buildPayload(join(dir, "d.yaml"), { targetsFile: join(dir, "targets.yaml") });
    const own = loadTargetsText(targets("http://127.0.0.1:9/worker"), "/etc/worker/targets.yaml");
    const loaded = loadPayload(payload, own);
    expect(loaded.notifiers).toEqual([
      [expect.objectContaining({ name: "grafana", url: "http://127.0.0.1:9/worker" })],
    ]);
    // Without a selection: every notifier of the worker's target.
    const { notify: _none, ...all } = payload;
    expect(loadPayload(all, own).notifiers[0]?.map((n) => n.name)).toEqual(["ops", "grafana"]);
  });

  it("a job can never carry a receiver: a URL in notify is refused, an unknown name fails the job", async () => {
    const payload = await buildPayload(join(dir, "e.yaml"), { targetsFile: join(dir, "targets.yaml") });
    const own = loadTargetsText(targets("http://127.0.0.1:9/worker"), "targets.yaml");
    expect(() =>
      loadPayload({ ...payload, kind: "suite", notify: [{ url: "http://evil.example/" }] }, own),
    ).toThrow(/invalid job payload: notify/);
    expect(() => loadPayload({ ...payload, kind: "suite", notify: ["nobody"] }, own)).toThrow(
      /unknown notifier "nobody"/,
    );
  });

  it("a name that is not a notifier name is refused by the payload schema, and never echoed", async () => {
    const payload = await buildPayload(join(dir, "e.yaml"), { targetsFile: join(dir, "targets.yaml") });
    const own = loadTargetsText(targets("http://127.0.0.1:9/worker"), "targets.yaml");
    const hostile = "x\u001b[2J\nFAKE LOG LINE: all good";
    let message = "";
    try {
      loadPayload({ ...payload, kind: "suite", notify: [hostile] }, own);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^invalid job payload: notify\.0: expected a notifier name/);
    expect(message).not.toContain("FAKE LOG LINE");
    expect([...message].some((c) => c.charCodeAt(0) < 32)).toBe(false);
  });

  it("a notifier secret unreadable at job time is left out with one line; the run goes on", async () => {
    await writeFile(join(dir, "d.yaml"), day("[ops, grafana]"));
    const payload = await buildPayload(join(dir, "d.yaml"), { targetsFile: join(dir, "targets.yaml") });
    // The worker's targets: ops signs with a key that is gone (rotated away after the worker started).
    const rotated = targets("http://127.0.0.1:9/worker").replace(
      'ops: { format: webhook, url: "http://127.0.0.1:9/worker" }',
      'ops: { format: webhook, url: "http://127.0.0.1:9/worker", secret: { env: GD_TEST_ROTATED_AWAY_KEY } }',
    );
    expect(rotated).toContain("GD_TEST_ROTATED_AWAY_KEY");
    const own = loadTargetsText(rotated, "/etc/worker/targets.yaml");
    const loaded = loadPayload(payload, own);
    expect(loaded.notifiers).toEqual([[expect.objectContaining({ name: "grafana" })]]);
    expect(loaded.unreadableNotifiers).toEqual([
      "/etc/worker/targets.yaml: targets.t.notify.ops.secret: the environment variable GD_TEST_ROTATED_AWAY_KEY is not set; the run goes on without this notifier",
    ]);
    // At the worker's start the same file is refused outright, naming the file and the field.
    expect(() => checkNotifierSecrets(own)).toThrow(
      "/etc/worker/targets.yaml: targets.t.notify.ops.secret: the environment variable GD_TEST_ROTATED_AWAY_KEY is not set",
    );
    expect(() =>
      checkNotifierSecrets(loadTargetsText(targets("http://127.0.0.1:9/w"), "t.yaml")),
    ).not.toThrow();
  });
});
