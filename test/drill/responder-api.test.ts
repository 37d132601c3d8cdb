import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { AlertWatcher } from "../../src/drill/alert-watcher.js";
import { DrillFaults } from "../../src/drill/drill-faults.js";
import { loadDrillText } from "../../src/drill/drill-loader.js";
import { PanelSampler } from "../../src/drill/drill-panels.js";
import { planDrill, seededRandom } from "../../src/drill/drill-plan.js";
import { scoreDrill } from "../../src/drill/drill-scoring.js";
import { DrillSession } from "../../src/drill/drill-session.js";
import { DrillTimeline } from "../../src/drill/drill-state.js";
import { responderApp } from "../../src/drill/responder-api.js";
import { LoadGenerator } from "../../src/load/load-generator.js";
import { REPO } from "../support/cli.js";
import { scratchFiles } from "../support/scratch-files.js";

/** A drill session without a sandbox (nothing started): the API's refusals and the scoring, in-process. */
function session() {
  const text = readFileSync(`${REPO}drills/risk-cache-chain.yaml`, "utf8").replace(
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the drill file's ${VAR} reference, replaced
    "${GATEWAY_URL}",
    "http://127.0.0.1:1",
  );
  const { drill } = loadDrillText(text, "risk-cache-chain.yaml");
  const { dir } = scratchFiles("gameday-drill-api-");
  const timeline = new DrillTimeline(`${dir}/timeline.jsonl`);
  const tokens = { organizer: "org-token", responders: { alice: "alice-token", bob: "bob-token" } };
  const s = new DrillSession({
    id: "drill-test",
    drill,
    plan: planDrill(drill, { random: seededRandom(1) }),
    timeline,
    tokens,
    faults: new DrillFaults(),
    load: new LoadGenerator(drill.spec.load, 1000),
    alerts: new AlertWatcher(undefined),
    panels: new PanelSampler([], undefined),
    slo: [],
  });
  const app = responderApp(s);
  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const res = await app.request(path, {
      method,
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return { s, timeline, call };
}

const RIGHT = { component: "risk", mechanism: "cache-miss-storm", trigger: "config-change", text: "" };

describe("the responder API refuses and changes nothing", () => {
  it("an unknown or missing token is 403; the organizer token is no responder; only it may stop", async () => {
    const { call, timeline } = session();
    expect((await call("nope", "POST", "/ack")).status).toBe(403);
    expect((await call(undefined, "GET", "/view")).status).toBe(403);
    expect((await call("org-token", "POST", "/answers", RIGHT)).status).toBe(403);
    expect((await call("alice-token", "POST", "/stop")).status).toBe(403);
    expect(timeline.events).toEqual([]);
  });

  it("a trace needs a responder's token and a trace id of 32 hex digits, else 403 or 400", async () => {
    const { call } = session();
    const id = "0af7651916cd43dd8448eb211c80319c";
    expect((await call(undefined, "GET", `/trace/${id}`)).status).toBe(403);
    for (const bad of ["xyz", `${id}0`, id.replace("0", "g"), "..%2f..%2fetc"]) {
      const r = await call("alice-token", "GET", `/trace/${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.error).toContain("32 hex digits");
    }
    // This session has no service logs: an empty waterfall with the log search's own note.
    const ok = await call("alice-token", "GET", `/trace/${id.toUpperCase()}`);
    expect(ok).toMatchObject({ status: 200, body: { trace: id, spans: [], durationMs: 0 } });
    expect(ok.body.note).toContain("no service logs");
  });

  it("a mitigation not offered, a restart without a service, an answer outside the choices: 400", async () => {
    const { call, timeline } = session();
    const notOffered = await call("alice-token", "POST", "/mitigations", { action: "flush-cache" });
    expect(notOffered.status).toBe(400);
    expect(String(notOffered.body.error)).toContain("rollback-config");
    expect((await call("alice-token", "POST", "/mitigations", { action: "restart-service" })).status).toBe(
      400,
    );
    expect((await call("alice-token", "POST", "/answers", { ...RIGHT, component: "cache" })).status).toBe(
      400,
    );
    expect((await call("alice-token", "POST", "/notes", { text: "" })).status).toBe(400);
    expect(timeline.events).toEqual([]);
  });

  it("after the end every action is 409 and nothing is recorded; an answer is final", async () => {
    const { s, call, timeline } = session();
    expect((await call("alice-token", "POST", "/answers", RIGHT)).status).toBe(200);
    expect((await call("alice-token", "POST", "/answers", RIGHT)).status).toBe(400);
    expect(s.ended).toBeUndefined();
    expect((await call("org-token", "POST", "/stop")).status).toBe(200);
    const n = timeline.events.length;
    for (const [path, body] of [
      ["/answers", RIGHT],
      ["/ack", undefined],
      ["/notes", { text: "late" }],
      ["/mitigations", { action: "shed-load" }],
    ] as const) {
      const r = await call("bob-token", "POST", path, body);
      expect(r.status, path).toBe(409);
      expect(String(r.body.error)).toContain("the drill has ended");
    }
    expect((await call("org-token", "POST", "/stop")).status).toBe(409);
    expect(timeline.events.length).toBe(n);
  });

  it("ends by itself once every responder answered", async () => {
    const { s, call } = session();
    await call("alice-token", "POST", "/answers", RIGHT);
    await call("bob-token", "POST", "/answers", { ...RIGHT, component: "payments" });
    expect(s.ended?.reason).toBe("answered");
  });
});

describe("the drill view's page", () => {
  it("serves /play and /play.js without a token (they carry nothing of the drill), locked down by CSP", async () => {
    const { s } = session();
    const app = responderApp(s);
    const page = await app.request("/play");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/play.js"></script>');
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    const js = await app.request("/play.js");
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("javascript");
    const code = await js.text();
    expect(code).toContain("/view");
    // Nothing of this drill in the static assets: no scenario, no answer key, no token.
    for (const text of [html, code])
      for (const secret of [
        "cold-cache",
        "small-pool",
        "cache-hit-ratio",
        "cache-miss-storm",
        "config-change",
        "alice-token",
        "risk-cache-chain",
      ])
        expect(text).not.toContain(secret);
  });

  it("the view has an unscored leaderboard while the drill runs, and no results", async () => {
    const { call } = session();
    await call("bob-token", "POST", "/ack");
    await call("bob-token", "POST", "/answers", { ...RIGHT, component: "payments" });
    const view = (await call("alice-token", "GET", "/view")).body;
    expect(view.results).toBeNull();
    const board = view.leaderboard as { responder: string; rootCauseCorrect?: boolean }[];
    expect(board.map((r) => r.responder)).toEqual(["bob", "alice"]);
    expect(board.every((r) => r.rootCauseCorrect === undefined)).toBe(true);
  });
});

describe("drill scoring", () => {
  it("times from the injection, each field right or wrong, noise, and a leaderboard by correctness then time", () => {
    const { drill } = loadDrillText(readFileSync(`${REPO}drills/risk-cache-chain.yaml`, "utf8"), "x.yaml");
    const t0 = 1_000_000;
    const score = scoreDrill(
      [
        { type: "fault.injected", t: t0, hidden: true, fault: "f", description: "d" },
        { type: "symptom", t: t0 + 2000, state: "broken", detail: "" },
        { type: "alert.firing", t: t0 + 3000, alert: "CheckoutDegraded", labels: {} },
        { type: "ack", t: t0 + 4000, responder: "bob" },
        { type: "ack", t: t0 + 5000, responder: "alice" },
        {
          type: "note",
          t: t0 + 6000,
          responder: "bob",
          text: "x",
          hypothesis: { component: "payments", mechanism: "slow-dependency", trigger: "deploy" },
        },
        {
          type: "note",
          t: t0 + 6500,
          responder: "alice",
          text: "y",
          hypothesis: { component: "risk", mechanism: "cache-miss-storm", trigger: "config-change" },
        },
        { type: "mitigation", t: t0 + 7000, responder: "alice", action: "rollback-config", detail: "" },
        { type: "symptom", t: t0 + 9000, state: "held", detail: "" },
        {
          type: "answer",
          t: t0 + 10_000,
          responder: "bob",
          component: "risk",
          mechanism: "slow-dependency",
          trigger: "config-change",
          text: "",
        },
        {
          type: "answer",
          t: t0 + 12_000,
          responder: "alice",
          component: "risk",
          mechanism: "cache-miss-storm",
          trigger: "config-change",
          text: "",
        },
      ],
      drill.spec.answer,
      ["alice", "bob", "carol"],
    );
    expect(score).toMatchObject({
      timeToSymptomMs: 2000,
      timeToAlertMs: 3000,
      timeToAckMs: 4000,
      timeToMitigateMs: 9000,
    });
    expect(score.mitigatedBy).toEqual({ responder: "alice", action: "rollback-config" });
    expect(score.leaderboard.map((r) => [r.responder, r.rank, r.rootCauseCorrect])).toEqual([
      ["alice", 1, true],
      ["bob", 2, false],
      ["carol", 3, false],
    ]);
    const bob = score.responders.find((r) => r.responder === "bob");
    expect(bob).toMatchObject({
      ackMs: 4000,
      answerMs: 10_000,
      noise: 1,
      correct: { component: true, mechanism: false, trigger: true },
    });
    expect(score.responders.find((r) => r.responder === "alice")?.noise).toBe(0);
  });
});
