import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDrillText } from "../../src/drill/drill-loader.js";
import { type DrillOutcome, runDrill } from "../../src/drill/drill-runner.js";
import { DrillFolder } from "../../src/drill/drill-state.js";
import type { SandboxEndpoints } from "../../src/sandbox/sandbox-stack.js";
import { warmUp } from "../../src/sandbox/sandbox-up.js";
import { launchBrowser, SHOTS } from "../console/support/browser.js";
import { REPO, runCli } from "../support/cli.js";
import { ensureSandbox, SANDBOX_STATE_DIR } from "../support/sandbox.js";
import { scratchFiles } from "../support/scratch-files.js";
import { drillTargets } from "./support/drill-targets.js";

/**
 * The seeded chain of drills/risk-cache-chain.yaml played for real inside risk: every cache
 * lookup misses, so every score needs one of risk's database connections; the pool (made small
 * and its queries slower, so this machine's modest load fills it) queues, risk answers past
 * payments' 200 ms attempt timeout, payments retries and fails, orders' breaker opens, and, with
 * the fallback switched off (--break fallback), the gateway answers 502. The answer key, chain and
 * hints are the catalogue file's own.
 */
const FAULT_NAMES = ["cold-cache", "slow-queries", "small-pool"];
function scenarioText(): string {
  const text = readFileSync(join(REPO, "drills", "risk-cache-chain.yaml"), "utf8");
  const faults = `  faults:
    - { name: cold-cache, for: 10m, app: { service: risk, action: cache-hit-ratio, missRatio: 1 } }
    - { name: slow-queries, for: 10m, app: { service: risk, action: db-latency, latency: 120ms } }
    - { name: small-pool, for: 10m, app: { service: risk, action: pool-shrink, size: 2 } }
  answer:`;
  const out = text
    .replace(/ {2}faults:\n[\s\S]*? {2}answer:/, faults)
    // Without the fallback a loaded 2-core machine fails some checkouts even when healthy.
    .replace("errorRatio, below: 0.05", "errorRatio, below: 0.3");
  expect(out).toContain("cold-cache");
  expect(out).toContain("below: 0.3");
  return out;
}

interface Seen {
  url: string;
  status: number;
  text: string;
  before: boolean;
}

/** Follows one page's every response (the page, its script, every API call), for the leak check. */
function record(page: Page, seen: Seen[], ended: () => boolean): void {
  page.on("response", async (res) => {
    const before = !ended();
    try {
      seen.push({ url: res.url(), status: res.status(), text: await res.text(), before });
    } catch {
      // a response the page navigated away from: nothing was read
    }
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The log table's rows as the responder reads them. */
async function logRows(page: Page) {
  return page.$$eval("#log-rows tbody tr", (trs) =>
    trs.map((tr) => ({
      service: (tr as HTMLElement).dataset.service ?? "",
      level: (tr as HTMLElement).dataset.level ?? "",
      text: tr.textContent ?? "",
      trace: tr.querySelector<HTMLElement>("a[data-trace]")?.dataset.trace,
    })),
  );
}

async function search(page: Page, q: { service?: string; level?: string; text?: string }) {
  await page.click("#log-search button[type=button]"); // Clear
  if (q.service) await page.selectOption("#log-search select[name=service]", q.service);
  if (q.level) await page.selectOption("#log-search select[name=level]", q.level);
  if (q.text) await page.fill("#log-search input[name=q]", q.text);
  await page.click("#log-search button[type=submit]");
  await page.waitForFunction(() =>
    /lines|no log line/.test(document.getElementById("log-status")?.textContent ?? ""),
  );
  return logRows(page);
}

async function followTrace(page: Page, trace: string) {
  await page.click(`#log-rows a[data-trace="${trace}"]`);
  await page.waitForFunction(
    (t) =>
      (document.querySelector<HTMLInputElement>("#log-search input[name=trace]")?.value ?? "") === t &&
      /lines|no log line/.test(document.getElementById("log-status")?.textContent ?? ""),
    trace,
  );
  return logRows(page);
}

/** The trace panel's waterfall once the trace the page opened has arrived. */
async function waterfall(page: Page, trace: string) {
  await page.waitForFunction((t) => {
    const el = document.getElementById("trace");
    return el?.dataset.trace === t && el.dataset.state !== "loading" && !el.hidden;
  }, trace);
  return page.$$eval("#trace-rows .span-row[data-kind]", (rows) =>
    rows.map((r) => ({
      service: (r as HTMLElement).dataset.service ?? "",
      kind: (r as HTMLElement).dataset.kind ?? "",
      outcome: (r as HTMLElement).dataset.outcome ?? "",
      text: r.textContent ?? "",
      title: r.getAttribute("title") ?? "",
      bar: (r.querySelector(".span-bar") as HTMLElement | null)?.style.width ?? "",
    })),
  );
}

async function answer(
  page: Page,
  a: { component: string; mechanism: string; trigger: string; text: string },
) {
  await page.selectOption("#answer-form select[name=component]", a.component);
  await page.selectOption("#answer-form select[name=mechanism]", a.mechanism);
  await page.selectOption("#answer-form select[name=trigger]", a.trigger);
  await page.fill("#answer-form textarea[name=text]", a.text);
  await page.click("#submit-answer");
  await page.waitForFunction(() =>
    /final|ended/.test(document.getElementById("answer-result")?.textContent ?? ""),
  );
}

describe("the responder's drill view in a real browser (Debian chromium, real sandbox)", () => {
  const seen: Seen[] = [];
  const trail: string[] = [];
  let outcome: DrillOutcome;
  let ep: SandboxEndpoints;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let alicePage: Page;
  let bobPage: Page;
  let board: { responder: string; correct: string | undefined; text: string }[] = [];
  let aliceUrlAfterLoad = "";
  let rootCause = "";
  let stateDir = "";
  let traceRows: Awaited<ReturnType<typeof waterfall>> = [];
  let poolWait: (typeof traceRows)[number] | undefined;
  const playLinks: string[] = [];
  let unknownPlayer: { code: number | null; stderr: string } | undefined;
  let afterEndLink: { code: number | null; stdout: string } | undefined;
  const shots = join(REPO, "..", "drillview-shots");

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    ep = await ensureSandbox(["fallback"]);
    await warmUp(ep.checkoutUrl, 3000);
    stateDir = scratchFiles("gameday-drill-view-").dir;
    const file = join(REPO, "drills", "risk-cache-chain.yaml");
    const loaded = loadDrillText(scenarioText(), file, {
      targets: drillTargets(ep, "drill-view-targets.yaml", ["risk"]),
    });
    if (!loaded.target) throw new Error("the drill's target did not resolve");
    let ready!: (v: { id: string; url: string; dir: string }) => void;
    const readyP = new Promise<{ id: string; url: string; dir: string }>((r) => (ready = r));
    let ended = false;
    const running = runDrill({
      loaded,
      targetName: "sandbox",
      target: loaded.target,
      stateDir,
      responders: ["alice", "bob"],
      seed: 7,
      timeLimitMs: 150_000,
      window: { fromMs: 2_000, toMs: 3_000 },
      sandboxDir: SANDBOX_STATE_DIR,
      keepView: true,
      onReady: ready,
    });
    const { id } = await readyP;
    // The address each responder opens, as `gameday drill play` prints it.
    const link = async (who: string) => {
      const r = await runCli(["drill", "play", "--as", who, "--drill", id, "--state-dir", stateDir]);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    const [aliceLink, bobLink] = [await link("alice"), await link("bob")];
    playLinks.push(aliceLink, bobLink);
    unknownPlayer = await runCli(["drill", "play", "--as", "carol", "--state-dir", stateDir]);
    browser = await launchBrowser();
    alicePage = await browser.context.newPage();
    bobPage = await browser.context.newPage();
    for (const p of [alicePage, bobPage]) record(p, seen, () => ended);
    await alicePage.goto(aliceLink);
    await bobPage.goto(bobLink);
    await alicePage.waitForSelector("#answer-form");
    aliceUrlAfterLoad = alicePage.url();

    // Paged: the service level breaks (checkouts fail with 502), an alert may fire.
    await alicePage.waitForSelector("#slo li.broken", { timeout: 60_000 });
    await alicePage.click("#ack");
    await bobPage.click("#ack");
    await alicePage.waitForSelector("#panels figure.panel");
    await alicePage.screenshot({ path: join(shots, "drill-view-paged.png"), fullPage: true });

    // alice: the gateway's errors are 502s; one of them, followed by its trace, failed in orders
    // because payments failed.
    const gateway = await search(alicePage, { service: "gateway", level: "error" });
    const bad = gateway.filter((r) => r.text.includes("502") && r.trace);
    expect(bad.length, "gateway 502 lines").toBeGreaterThan(0);
    trail.push(`gateway: ${bad[0]?.text}`);
    const firstTrace = await followTrace(alicePage, bad[0]?.trace as string);
    expect(firstTrace.map((r) => r.service)).toContain("orders");
    trail.push(...firstTrace.filter((r) => r.service === "orders").map((r) => `orders: ${r.text}`));
    // The same click opened that checkout's waterfall. Most 502s never reached risk (orders'
    // breaker refused them), so the responder opens the traces of orders' failed calls to payments
    // too, each a gateway 502 as well (no fallback), until one shows risk's wait for its pool.
    const tried = new Set<string>();
    const tryTrace = async (trace: string) => {
      tried.add(trace);
      const rows = await waterfall(alicePage, trace);
      const wait = rows.find((r) => r.service === "risk" && r.kind === "pool-wait");
      if (rows[0]?.service !== "gateway" || !rows[0].text.includes("502") || !wait) return;
      traceRows = rows;
      poolWait = wait;
    };
    await tryTrace(bad[0]?.trace as string);
    for (let i = 0; i < 6 && !poolWait; i++) {
      for (let j = 0; j < 4 && !poolWait; j++) {
        const calls = await search(alicePage, {
          service: "orders",
          level: "warn",
          text: "payments attempt failed",
        });
        const fresh = calls.filter((r) => r.trace && !tried.has(r.trace));
        // Not the newest: risk logs a score when it ends, after its pool wait.
        const pick = fresh[Math.min(j + 1, fresh.length - 1)];
        if (!pick?.trace) break;
        await followTrace(alicePage, pick.trace);
        await tryTrace(pick.trace);
      }
      if (!poolWait) await sleep(1500);
    }
    if (poolWait) {
      // The polled panels above may still move it: in view and settled first.
      await alicePage.locator("#trace").scrollIntoViewIfNeeded();
      await sleep(300);
      await alicePage.locator("#trace").screenshot({ path: join(shots, "trace-view.png") });
    }
    // payments' failures are against risk: follow one down to risk's own line (written when risk
    // finishes, after its pool wait), which says where the time went.
    let riskLines: { service: string; text: string }[] = [];
    for (let i = 0; i < 8 && !riskLines.length; i++) {
      // Searched again before each click: following a trace replaces the rows, so the links of
      // the other failures are gone from the page (clicking one timed out in CI).
      for (let k = 0; k < 3 && !riskLines.length; k++) {
        const payments = await search(alicePage, { service: "payments", level: "error" });
        const failing = payments.filter((r) => r.trace && /risk/.test(r.text));
        if (i === 0 && k === 0) trail.push(`payments: ${failing[0]?.text}`);
        const p = failing[k];
        if (!p?.trace) break;
        const lines = await followTrace(alicePage, p.trace);
        riskLines = lines.filter((r) => r.service === "risk" && /database connection/.test(r.text));
      }
      if (!riskLines.length) await sleep(1500);
    }
    expect(riskLines.length, "a risk line of a failed charge's trace").toBeGreaterThan(0);
    trail.push(`risk: ${riskLines[0]?.text}`);
    expect(riskLines[0]?.text).toContain("pool risk-db");
    // The level search finds risk's pool on its own too.
    const riskWarn = await search(alicePage, { service: "risk", level: "warn", text: "database connection" });
    expect(riskWarn.length).toBeGreaterThan(0);
    expect(riskWarn.every((r) => r.level === "warn" || r.level === "error")).toBe(true);
    await alicePage.screenshot({ path: join(shots, "drill-view-logs.png"), fullPage: true });

    await alicePage.fill("#note-form textarea", "every score waits for one of risk's database connections");
    await alicePage.click("#note-form button[type=submit]");
    await alicePage.waitForFunction(() => document.getElementById("note-result")?.textContent === "noted");
    await alicePage.selectOption("#mitigate-form select[name=action]", "rollback-config");
    await alicePage.click("#mitigate-form button[type=submit]");
    await alicePage.waitForFunction(() =>
      /rolled back/.test(document.getElementById("mitigation-result")?.textContent ?? ""),
    );

    // bob blames payments, alice the cause.
    await answer(bobPage, {
      component: "payments",
      mechanism: "slow-dependency",
      trigger: "dependency-degradation",
      text: "payments answers 503",
    });
    // Her answer, the last, ends the drill: from here on the results may name the root cause.
    ended = true;
    await answer(alicePage, {
      component: "risk",
      mechanism: "cache-miss-storm",
      trigger: "config-change",
      text: "risk's pool: every score misses the cache and waits for a connection",
    });
    outcome = await running;
    // --keep-view: the ended drill's page shows the results and the scored leaderboard.
    await alicePage.waitForSelector("#results:not([hidden])", { timeout: 20_000 });
    await bobPage.waitForSelector("#results:not([hidden])", { timeout: 20_000 });
    rootCause = (await alicePage.textContent("#root-cause")) ?? "";
    afterEndLink = await runCli(["drill", "play", "--as", "bob", "--state-dir", stateDir]);
    board = await alicePage.$$eval("#leaderboard tbody tr", (trs) =>
      trs.map((tr) => ({
        responder: (tr as HTMLElement).dataset.responder ?? "",
        correct: (tr as HTMLElement).dataset.correct,
        text: tr.textContent ?? "",
      })),
    );
    await alicePage.screenshot({ path: join(shots, "drill-view-results.png"), fullPage: true });
    await alicePage.screenshot({ path: join(SHOTS, "drill-view-results.png") });
  }, 280_000);

  afterAll(async () => {
    await browser?.close();
    await outcome?.view?.close();
    // The lane's other files expect the sandbox with its fallback.
    await ensureSandbox();
  }, 120_000);

  it("`gameday drill play` prints each responder's address, the token in the #fragment only", () => {
    for (const l of playLinks) expect(l).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/play#token=[\w-]{20,}$/);
    expect(new Set(playLinks).size).toBe(2);
    expect(unknownPlayer?.code).toBe(2);
    expect(unknownPlayer?.stderr).toContain('unknown responder "carol"');
    // --keep-view: the ended drill's view is still there.
    expect(afterEndLink?.code).toBe(0);
    expect(afterEndLink?.stdout.trim()).toBe(playLinks[1]);
    // The page took the token and dropped it from the address bar; no request carried it in a URL.
    expect(aliceUrlAfterLoad).toMatch(/\/play$/);
    const tokens = playLinks.map((l) => l.split("#token=")[1] as string);
    for (const r of seen) for (const t of tokens) expect(r.url).not.toContain(t);
  });

  it("a responder following the logs from the gateway's 502s to risk's pool is scored correct with its times", () => {
    expect(outcome.exitCode, outcome.reason).toBe(0);
    const alice = outcome.score.responders.find((r) => r.responder === "alice");
    expect(alice).toMatchObject({
      rootCauseCorrect: true,
      correct: { component: true, mechanism: true, trigger: true },
    });
    expect(alice?.ackMs).toBeGreaterThan(0);
    expect(alice?.answerMs).toBeGreaterThan(alice?.ackMs ?? Infinity);
    expect(trail.join("\n")).toMatch(/gateway: .*502[\s\S]*orders: [\s\S]*risk: .*database connection/);
  });

  it("a gateway 502's trace opens as a waterfall down to risk's wait for a database connection", () => {
    expect(poolWait, "a risk pool-wait span in a gateway 502's waterfall").toBeDefined();
    const root = traceRows[0];
    expect(root).toMatchObject({ service: "gateway", kind: "request", outcome: "error" });
    expect(root?.text).toContain("502");
    for (const s of ["gateway", "orders", "payments", "risk"])
      expect(traceRows.map((r) => r.service)).toContain(s);
    expect(poolWait?.text).toContain("risk-db pool wait");
    expect(poolWait?.title).toMatch(/takes \d/);
    // The bar is as long as the wait: never nothing in a scenario where every score waits.
    expect(Number.parseFloat(poolWait?.bar ?? "0")).toBeGreaterThan(0);
    // Attempts are indented under their request, each with its outcome.
    expect(traceRows.some((r) => r.kind === "attempt" && r.outcome === "error")).toBe(true);
  });

  it("the one who blamed payments is scored wrong; the leaderboard on the page ranks alice first", () => {
    const bob = outcome.score.responders.find((r) => r.responder === "bob");
    expect(bob).toMatchObject({ rootCauseCorrect: false, correct: { component: false } });
    expect(board.map((r) => [r.responder, r.correct])).toEqual([
      ["alice", "true"],
      ["bob", "false"],
    ]);
    expect(board[0]?.text).toContain("correct");
    expect(board[1]?.text).toContain("wrong");
    expect(rootCause).toContain("risk / cache-miss-storm / config-change");
  });

  it("no response the pages fetched (page, script, API) names the hidden scenario", () => {
    const urls = seen.map((r) => new URL(r.url).pathname);
    for (const path of ["/play", "/play.js", "/view", "/logs", "/ack", "/answers", "/mitigations", "/notes"])
      expect(urls, path).toContain(path);
    expect(
      urls.some((u) => /^\/trace\/[0-9a-f]{32}$/.test(u)),
      "a /trace/<id> response",
    ).toBe(true);
    const scenario = [
      ...FAULT_NAMES,
      "risk-cache-chain",
      "cache-hit-ratio",
      "db-latency",
      "pool-shrink",
      "missRatio",
      "app_fault",
      "gameday@",
      "toxiproxy",
      "cache hit ratio",
      "config change lowers",
      "retries each charge",
    ];
    for (const r of seen) {
      const lower = r.text.toLowerCase();
      for (const secret of scenario)
        expect(lower, `${r.url} (${r.status})`).not.toContain(secret.toLowerCase());
      if (!r.before) continue;
      // Before the end nothing but the catalogue's choices and the caller's own words names the key.
      let rest = r.text;
      if (new URL(r.url).pathname === "/view") {
        const { choices: _c, you: _y, ...others } = JSON.parse(r.text) as Record<string, unknown>;
        // A view of the ended drill (bob's page, polling while alice answered) has its results.
        if ((others.drill as { status?: string }).status === "ended") continue;
        rest = JSON.stringify(others);
      }
      for (const key of ["cache-miss-storm", "config-change"]) expect(rest, r.url).not.toContain(key);
    }
    expect(seen.filter((r) => r.before).length).toBeGreaterThan(20);
  });

  it("ran the chain's faults inside risk and ended when both had answered, the rollback verified", () => {
    const events = new DrillFolder(stateDir, outcome.id).readTimeline();
    const injected = events.flatMap((e) => (e.type === "fault.injected" ? [e.fault] : []));
    expect(injected.sort()).toEqual([...FAULT_NAMES].sort());
    expect(events.find((e) => e.type === "ended")).toMatchObject({
      reason: "answered",
      rollback: { verified: true },
    });
  });
});
