import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { NotifierOptions } from "../../src/interfaces/notifier.js";
import { clearSecrets, redact, registerSecret } from "../../src/redact/redact.js";
import { type QueuedRequest, Undeliverable } from "../../src/report/notify/delivery.js";
import { GrafanaAnnotationReporter } from "../../src/report/notify/grafana-annotation-reporter.js";
import { NotifierReporter } from "../../src/report/notify/notifier-reporter.js";
import { type NotifyEvent, webhookBodySchema } from "../../src/report/notify/notify-event.js";
import { bothListeners, RunNotifiers } from "../../src/report/notify/run-notifiers.js";
import { SlackReporter } from "../../src/report/notify/slack-reporter.js";
import { WebhookReporter } from "../../src/report/notify/webhook-reporter.js";
import type { JournalEvent } from "../../src/run/journal-schema.js";
import { NOTIFY_EVENTS } from "../../src/targets/notify-schema.js";
import { REPO } from "../support/cli.js";
import { type Received, startReceiver } from "../support/http-receiver.js";
import { abortedRunEvents, fakeRunEvents } from "./fake-run-events.js";

const FAST = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 1000, deadlineMs: 3000, flushMs: 2000 };
const KEY = "hmac-key-0123456789";
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  clearSecrets();
  for (const close of closers.splice(0)) await close();
});

async function receiver(answer?: (n: number, r: Received) => number) {
  const r = await startReceiver(answer);
  closers.push(r.close);
  return r;
}

function options(url: string, more: Partial<NotifierOptions> = {}) {
  const logged: string[] = [];
  const opts: NotifierOptions = {
    name: "ops",
    format: "webhook",
    url,
    events: NOTIFY_EVENTS,
    tags: [],
    log: (l) => logged.push(l),
    policy: FAST,
    ...more,
  };
  return { opts, logged };
}

async function drive(
  reporter: { onEvent(e: JournalEvent): void; onRunEnd(): Promise<void> },
  events: JournalEvent[],
) {
  for (const e of events) reporter.onEvent(e);
  await reporter.onRunEnd();
}

/** The verification recipe of the README, as a receiver would write it. */
function verify(secret: string, rawBody: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("WebhookReporter", () => {
  it("posts one signed JSON body per event of the run, in order, each with its id and timestamp", async () => {
    const rx = await receiver();
    const { opts, logged } = options(`${rx.url}/hooks/gameday`, { secret: KEY });
    const reporter = new WebhookReporter(opts);
    await drive(reporter, fakeRunEvents());
    const bodies = rx.received.map((r) => webhookBodySchema.parse(JSON.parse(r.body)));
    expect(bodies.map((b) => b.event)).toEqual([
      "run.started",
      "fault.injected",
      "expectation.failed", // once, though the journal says it twice (live, then the final result)
      "fault.reverted",
      "verdict",
    ]);
    for (const [i, r] of rx.received.entries()) {
      const body = bodies[i] as (typeof bodies)[number];
      expect(r.method).toBe("POST");
      expect(r.path).toBe("/hooks/gameday");
      expect(r.headers["content-type"]).toBe("application/json");
      expect(verify(KEY, r.body, r.headers["x-gameday-signature"] as string)).toBe(true);
      expect(verify("another-key", r.body, r.headers["x-gameday-signature"] as string)).toBe(false);
      expect(r.headers["x-gameday-event"]).toBe(body.event);
      expect(r.headers["x-gameday-delivery"]).toBe(body.id);
      expect(new Date(Number(r.headers["x-gameday-timestamp"]) * 1000).toISOString()).toBe(body.sentAt);
      expect(body).toMatchObject({
        runId: "20261202-0100-abcd",
        experiment: "payments-latency",
        target: "staging",
        gameDay: "monthly",
      });
    }
    expect(new Set(bodies.map((b) => b.id)).size).toBe(bodies.length);
    expect(bodies[1]?.data).toEqual({ fault: "slow-payments", description: "latency 800ms on payments" });
    expect(bodies[1]?.time).toBe("2026-12-02T01:00:02.100Z");
    expect(bodies[3]?.data).toEqual({
      fault: "slow-payments",
      injectedAt: "2026-12-02T01:00:02.100Z",
      durationMs: 20100,
    });
    expect(bodies[4]?.data).toEqual({
      verdict: "failed",
      exitCode: 1,
      reason: "1 of 2 expectations did not hold",
    });
    expect(reporter.report).toMatchObject({ delivered: 5, failed: 0, abandoned: 0, attempts: 5 });
    expect(logged).toEqual([]);
  });

  it("a body changed in transit fails verification", async () => {
    const rx = await receiver();
    const { opts } = options(rx.url, { secret: KEY });
    await drive(new WebhookReporter(opts), fakeRunEvents().slice(0, 1));
    const r = rx.received[0] as Received;
    expect(verify(KEY, r.body, r.headers["x-gameday-signature"] as string)).toBe(true);
    expect(
      verify(KEY, r.body.replace("staging", "stagin9"), r.headers["x-gameday-signature"] as string),
    ).toBe(false);
  });

  it("an aborted run: the abort, and the verdict naming the fault never verified reverted", async () => {
    const rx = await receiver();
    const { opts } = options(rx.url);
    await drive(new WebhookReporter(opts), abortedRunEvents());
    const bodies = rx.received.map((r) => webhookBodySchema.parse(JSON.parse(r.body)));
    expect(bodies.map((b) => b.event)).toEqual(["run.started", "fault.injected", "aborted", "verdict"]);
    expect(bodies[2]?.data).toEqual({ reason: "errorRatio above 0.5 for 5s", by: "condition" });
    expect(bodies[3]?.data).toMatchObject({
      verdict: "error",
      exitCode: 5,
      unreverted: [{ fault: "risk-down", injectedAt: "2026-12-02T02:00:01.000Z" }],
    });
    // Unsigned without a secret: no signature header at all, rather than one nobody can check.
    expect(rx.received[0]?.headers["x-gameday-signature"]).toBeUndefined();
  });

  it("sends only the events the target chose", async () => {
    const rx = await receiver();
    const { opts } = options(rx.url, { events: ["aborted", "verdict"] });
    await drive(new WebhookReporter(opts), [...abortedRunEvents()]);
    expect(rx.received.map((r) => JSON.parse(r.body).event)).toEqual(["aborted", "verdict"]);
  });

  it("retries a 500 with backoff and sends the very same bytes again", async () => {
    const rx = await receiver((n) => (n < 2 ? 500 : 200));
    const { opts, logged } = options(rx.url, { secret: KEY });
    const reporter = new WebhookReporter(opts);
    await drive(reporter, fakeRunEvents().slice(0, 1));
    expect(rx.received.map((r) => r.body)).toEqual([
      rx.received[0]?.body,
      rx.received[0]?.body,
      rx.received[0]?.body,
    ]);
    expect(new Set(rx.received.map((r) => r.headers["x-gameday-delivery"])).size).toBe(1);
    const gaps = rx.received.slice(1).map((r, i) => r.at - (rx.received[i] as Received).at);
    // Backoff: about 20 ms then about 40 ms (half of it jitter), never back to back.
    expect(gaps[0]).toBeGreaterThanOrEqual(9);
    expect(gaps[1]).toBeGreaterThanOrEqual(19);
    expect(reporter.report).toMatchObject({ delivered: 1, failed: 0, attempts: 3 });
    expect(logged).toEqual([]);
  });

  it("X-Gameday-Timestamp and the signed sentAt are the send time, not the time the event was queued", async () => {
    // The first event takes three attempts with two backoffs of 500-1000 ms each: the second event
    // waits at least a second in the queue before it is sent.
    const rx = await receiver((n) => (n < 2 ? 500 : 200));
    const slow = { attempts: 3, baseDelayMs: 1000, maxDelayMs: 1000, deadlineMs: 10_000, flushMs: 8000 };
    const { opts } = options(rx.url, { secret: KEY, policy: { ...FAST, ...slow } });
    const queuedAt = Math.floor(Date.now() / 1000);
    await drive(new WebhookReporter(opts), fakeRunEvents());
    const second = rx.received.find(
      (r) => r.headers["x-gameday-delivery"] !== rx.received[0]?.headers["x-gameday-delivery"],
    );
    if (!second) throw new Error("the second event was not sent");
    const stamp = Number(second.headers["x-gameday-timestamp"]);
    expect(stamp).toBeGreaterThanOrEqual(queuedAt + 1);
    expect(stamp * 1000).toBeLessThanOrEqual(second.at);
    expect(Date.parse(JSON.parse(second.body).sentAt)).toBe(stamp * 1000);
    expect(verify(KEY, second.body, second.headers["x-gameday-signature"] as string)).toBe(true);
  });

  it("does not retry a 400 (the receiver refuses the request itself) and says so once", async () => {
    const rx = await receiver(() => 400);
    const { opts, logged } = options(rx.url);
    const reporter = new WebhookReporter(opts);
    await drive(reporter, fakeRunEvents());
    expect(rx.received).toHaveLength(5);
    expect(reporter.report).toMatchObject({ delivered: 0, failed: 5, attempts: 5 });
    expect(logged).toEqual([
      `notify ops: cannot deliver to ${rx.url}: HTTP 400 (1 attempt); the run goes on without it (further failures are not logged)`,
    ]);
  });
});

describe("the README's verification recipe", () => {
  it("accepts what gameday signs and refuses a changed body, another key, a missing or an old signature", async () => {
    const readme = await readFile(join(REPO, "README.md"), "utf8");
    const recipe = /<!-- notify: verify recipe -->\n```js\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(recipe).toBeDefined();
    const dir = await mkdtemp(join(tmpdir(), "gameday-recipe-"));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, "verify.mjs"), recipe ?? "");
    const { verifyGameday } = (await import(pathToFileURL(join(dir, "verify.mjs")).href)) as {
      verifyGameday: (secret: string, body: string, headers: Record<string, unknown>) => boolean;
    };
    const rx = await receiver();
    const { opts } = options(rx.url, { secret: KEY });
    await drive(new WebhookReporter(opts), fakeRunEvents());
    for (const r of rx.received) expect(verifyGameday(KEY, r.body, r.headers)).toBe(true);
    const r = rx.received[0] as Received;
    expect(verifyGameday(KEY, r.body.replace("staging", "stagin9"), r.headers)).toBe(false);
    expect(verifyGameday("another-key", r.body, r.headers)).toBe(false);
    expect(verifyGameday(KEY, r.body, {})).toBe(false);
    const old = JSON.stringify({ ...JSON.parse(r.body), sentAt: "2026-01-01T00:00:00.000Z" });
    const signed = `sha256=${createHmac("sha256", KEY).update(old).digest("hex")}`;
    expect(verifyGameday(KEY, old, { "x-gameday-signature": signed })).toBe(false);
  });
});

describe("SlackReporter", () => {
  it("posts incoming-webhook messages: text plus the same line as blocks, with the run's context", async () => {
    const rx = await receiver();
    const { opts } = options(`${rx.url}/services/T0/B0/tok`, { format: "slack" });
    await drive(new SlackReporter(opts), fakeRunEvents());
    const bodies = rx.received.map((r) => JSON.parse(r.body) as { text: string; blocks: unknown[] });
    expect(bodies.map((b) => b.text)).toEqual([
      ":arrow_forward: *payments-latency* started on staging",
      ":zap: *payments-latency*: fault `slow-payments` injected (latency 800ms on payments)",
      ':x: *payments-latency*: expectation "checkout keeps serving" did not hold',
      ":leftwards_arrow_with_hook: *payments-latency*: fault `slow-payments` reverted and verified after 20.1 s",
      ":x: FAILED *payments-latency* (exit 1): 1 of 2 expectations did not hold",
    ]);
    for (const b of bodies)
      expect(b.blocks).toEqual([
        { type: "section", text: { type: "mrkdwn", text: b.text } },
        {
          type: "context",
          elements: [{ type: "mrkdwn", text: "run 20261202-0100-abcd · target staging · game day monthly" }],
        },
      ]);
    expect(Object.keys(bodies[0] ?? {})).toEqual(["text", "blocks"]);
  });

  it("escapes Slack markup that comes from a run, and says when faults may remain", async () => {
    const rx = await receiver();
    const { opts } = options(rx.url, { format: "slack" });
    const events = abortedRunEvents();
    (events[2] as JournalEvent).data.reason = "p95 <b>&</b> @channel";
    await drive(new SlackReporter(opts), events);
    const texts = rx.received.map((r) => JSON.parse(r.body).text as string);
    expect(texts[2]).toBe(
      ":octagonal_sign: *risk-outage* aborted (condition): p95 &lt;b&gt;&amp;&lt;/b&gt; @channel",
    );
    expect(texts[3]).toContain("MAY REMAIN");
  });
});

describe("GrafanaAnnotationReporter", () => {
  it("posts one region annotation per fault window to /api/annotations with the Bearer token", async () => {
    const rx = await receiver();
    const { opts } = options(`${rx.url}/grafana`, {
      format: "grafana",
      token: "glsa_token_1234",
      tags: ["team:payments"],
      dashboardUID: "abc-123",
    });
    await drive(new GrafanaAnnotationReporter(opts), fakeRunEvents());
    expect(rx.received).toHaveLength(1);
    const r = rx.received[0] as Received;
    expect(r.path).toBe("/grafana/api/annotations");
    expect(r.headers.authorization).toBe("Bearer glsa_token_1234");
    expect(JSON.parse(r.body)).toEqual({
      dashboardUID: "abc-123",
      time: Date.UTC(2026, 11, 2, 1, 0, 2, 100),
      timeEnd: Date.UTC(2026, 11, 2, 1, 0, 22, 200),
      tags: ["gameday", "experiment:payments-latency", "fault:slow-payments", "team:payments"],
      text: "gameday fault slow-payments in payments-latency (run 20261202-0100-abcd, target staging): latency 800ms on payments",
    });
  });

  it("a fault never verified reverted is annotated up to the verdict, saying so", async () => {
    const rx = await receiver();
    const { opts } = options(rx.url, { format: "grafana" });
    await drive(new GrafanaAnnotationReporter(opts), abortedRunEvents());
    expect(rx.received).toHaveLength(1);
    const body = JSON.parse(rx.received[0]?.body ?? "{}");
    expect(body).toMatchObject({
      time: Date.UTC(2026, 11, 2, 2, 0, 1),
      timeEnd: Date.UTC(2026, 11, 2, 2, 0, 5),
    });
    expect(body.text).toContain("NOT verified reverted");
    expect(body.dashboardUID).toBeUndefined();
    expect(rx.received[0]?.headers.authorization).toBeUndefined();
  });
});

describe("notify events are redacted", () => {
  it("a secret that reached the journal data never reaches a receiver", async () => {
    registerSecret("s3cret-in-a-reason");
    const rx = await receiver();
    const { opts } = options(rx.url);
    const events = abortedRunEvents();
    (events[4] as JournalEvent).data.reason =
      "probe GET http://u:s3cret-in-a-reason@127.0.0.1/x answered 401";
    await drive(new WebhookReporter(opts), events);
    const all = rx.received.map((r) => r.body).join("\n");
    expect(all).not.toContain("s3cret-in-a-reason");
    expect((JSON.parse(rx.received[3]?.body ?? "{}") as NotifyEvent).data.reason).toBe(
      redact("probe GET http://u:s3cret-in-a-reason@127.0.0.1/x answered 401"),
    );
  });
});

describe("notifier failures stay contained", () => {
  it("a delivery failure is an error with a code, like the project's others", () => {
    const e = new Undeliverable("HTTP 500", true);
    expect(e).toMatchObject({ code: "E_UNDELIVERABLE", name: "Undeliverable", retryable: true });
  });

  it("a notification that cannot be built is logged once per event, redacted", async () => {
    registerSecret("sekret-in-a-build-error-77");
    class BrokenReporter extends NotifierReporter {
      protected requests(): QueuedRequest[] {
        throw new Error("cannot render sekret-in-a-build-error-77");
      }
    }
    const { opts, logged } = options("http://127.0.0.1:9/never");
    await drive(new BrokenReporter(opts), fakeRunEvents().slice(0, 1));
    expect(logged).toEqual(["notify ops: could not build a notification: cannot render ***"]);
  });

  it("the notifiers still hear an event when the console listener throws", () => {
    const { opts } = options("http://127.0.0.1:9/never");
    const notifiers = new RunNotifiers([opts], () => undefined);
    const heard = vi
      .spyOn(notifiers.reporters[0] as NotifierReporter, "onEvent")
      .mockImplementation(() => undefined);
    const listener = bothListeners(() => {
      throw new Error("console broke");
    }, notifiers);
    const event = fakeRunEvents()[0] as JournalEvent;
    expect(() => listener?.(event)).toThrow("console broke");
    expect(heard).toHaveBeenCalledWith(event);
  });
});
