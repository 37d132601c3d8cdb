import { afterEach, describe, expect, it, vi } from "vitest";
import type { NotifierOptions, ResolvedNotifier } from "../../src/interfaces/notifier.js";
import { clearSecrets } from "../../src/redact/redact.js";
import { RunNotifiers } from "../../src/report/notify/run-notifiers.js";
import { NOTIFIERS } from "../../src/report/reporter-registry.js";
import { resolveNotifiers } from "../../src/targets/notifier-credentials.js";
import { NOTIFY_FORMATS, type NotifyFormat } from "../../src/targets/notify-schema.js";
import { targetSchema } from "../../src/targets/targets-schema.js";
import { closedPort, type Received, startReceiver } from "../support/http-receiver.js";
import { fakeRunEvents } from "./fake-run-events.js";

// The same delivery guarantees for every notifier format: delivered, retried with the same bytes,
// never blocking or failing the run, a bounded flush, one line for an unreachable receiver, and no
// secret in anything it prints. Each notifier is configured as a targets file configures it, with
// its secrets from named variables.
const FAST = { baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 400, deadlineMs: 2000, flushMs: 800 };
const SECRETS = {
  GD_HMAC_KEY: "hmac-key-7f3a9c",
  GD_GRAFANA_TOKEN: "glsa_grafana_token_55aa",
  GD_SLACK_TOKEN: "XyZslackTokenPath9",
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  clearSecrets();
  for (const close of closers.splice(0)) await close();
});

/** A target's notifier of `format` aimed at `base`, resolved as a run resolves it (secrets read and registered). */
function configured(format: NotifyFormat, base: string): ResolvedNotifier {
  for (const [k, v] of Object.entries(SECRETS)) vi.stubEnv(k, v);
  vi.stubEnv("GD_SLACK_URL", `${base}/services/T0/B0/${SECRETS.GD_SLACK_TOKEN}`);
  const notify = {
    webhook: { format, url: `${base}/hook`, secret: { env: "GD_HMAC_KEY" } },
    slack: { format, url: { env: "GD_SLACK_URL" } },
    grafana: { format, url: base, token: { env: "GD_GRAFANA_TOKEN" } },
  }[format];
  const target = targetSchema.parse({ notify: { [`team-${format}`]: notify } });
  const [resolved] = resolveNotifiers("staging", target, "targets.yaml");
  if (!resolved) throw new Error("no notifier resolved");
  return resolved;
}

function start(format: NotifyFormat, base: string, more: Partial<NotifierOptions["policy"]> = {}) {
  const logged: string[] = [];
  const reporter = new NOTIFIERS[format]({
    ...configured(format, base),
    log: (l) => logged.push(l),
    policy: { ...FAST, ...more },
  });
  return { reporter, logged };
}

/** Feeds the run's events as the journal does (synchronously) and returns how long that took. */
function feed(reporter: { onEvent(e: ReturnType<typeof fakeRunEvents>[number]): void }): number {
  const t = performance.now();
  for (const e of fakeRunEvents()) reporter.onEvent(e);
  return performance.now() - t;
}

function noSecretIn(texts: string[]) {
  for (const text of texts) for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
}

describe.each(NOTIFY_FORMATS)("the %s notifier's delivery guarantees", (format) => {
  it("delivers every request of the run to a live receiver, logging nothing", async () => {
    const rx = await startReceiver();
    closers.push(rx.close);
    const { reporter, logged } = start(format, rx.url);
    feed(reporter);
    await reporter.onRunEnd();
    expect(rx.received.length).toBeGreaterThan(0);
    expect(reporter.report).toMatchObject({ delivered: rx.received.length, failed: 0, abandoned: 0 });
    expect(logged).toEqual([]);
  });

  it("retries a receiver that answers 500 twice, then 200, with the same bytes", async () => {
    const rx = await startReceiver((n) => (n < 2 ? 500 : 200));
    closers.push(rx.close);
    const { reporter, logged } = start(format, rx.url);
    feed(reporter);
    await reporter.onRunEnd();
    const [a, b, c] = rx.received as [Received, Received, Received];
    expect([b.body, c.body]).toEqual([a.body, a.body]);
    expect(reporter.report.attempts).toBe(rx.received.length);
    expect(reporter.report).toMatchObject({ failed: 0, abandoned: 0, delivered: rx.received.length - 2 });
    expect(logged).toEqual([]);
  });

  it("an unreachable receiver: the run is never held up or failed, one line is logged, no secret in it", async () => {
    const port = await closedPort();
    const { reporter, logged } = start(format, `http://127.0.0.1:${port}`);
    expect(feed(reporter)).toBeLessThan(100); // onEvent only queues
    const t = performance.now();
    await expect(reporter.onRunEnd()).resolves.toBeUndefined();
    expect(performance.now() - t).toBeLessThan(FAST.flushMs + 500);
    expect(reporter.report.delivered).toBe(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatch(
      new RegExp(
        `^notify team-${format}: cannot deliver to http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*; the run goes on`,
      ),
    );
    noSecretIn(logged);
  });

  it("a receiver that never answers: the flush gives up at its bound, with one line", async () => {
    const rx = await startReceiver(() => 0);
    closers.push(rx.close);
    const { reporter, logged } = start(format, rx.url, { timeoutMs: 5000, flushMs: 500 });
    feed(reporter);
    const t = performance.now();
    await reporter.onRunEnd();
    // Well under the 5 s request timeout that would hold it without the flush bound.
    expect(performance.now() - t).toBeLessThan(1500);
    expect(reporter.report.abandoned).toBeGreaterThan(0);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("still undelivered");
    noSecretIn(logged);
  });

  it("a full queue drops the oldest waiting events and counts them, still one line", async () => {
    const rx = await startReceiver(() => 0);
    closers.push(rx.close);
    const { reporter, logged } = start(format, rx.url, { timeoutMs: 5000, flushMs: 300, queueMax: 1 });
    for (let i = 0; i < 5; i++) feed(reporter);
    // Dropped as they arrive, while one request hangs: the queue never holds more than queueMax.
    const droppedBeforeEnd = reporter.report.abandoned;
    expect(droppedBeforeEnd).toBeGreaterThan(0);
    await reporter.onRunEnd();
    expect(reporter.report.abandoned).toBe(droppedBeforeEnd + 2); // the one queued and the one in flight
    expect(rx.received.length).toBe(1); // the one in flight; the rest never left
    expect(reporter.report.abandoned).toBeGreaterThan(1);
    expect(logged).toHaveLength(1);
  });
});

describe("RunNotifiers", () => {
  it("flushes every notifier at once: the run's end waits one bound, not one per notifier", async () => {
    const rx = await startReceiver(() => 0);
    closers.push(rx.close);
    const logged: string[] = [];
    const notifiers = new RunNotifiers(
      NOTIFY_FORMATS.map((f) => configured(f, rx.url)),
      (l) => logged.push(l),
      { ...FAST, timeoutMs: 5000, flushMs: 500 },
    );
    for (const e of fakeRunEvents()) notifiers.onEvent(e);
    const t = performance.now();
    await notifiers.onRunEnd();
    expect(performance.now() - t).toBeLessThan(1400); // one after the other would be 3 x 500 ms
    expect(logged).toHaveLength(3);
    noSecretIn(logged);
  });
});
