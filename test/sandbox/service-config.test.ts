import { describe, expect, it } from "vitest";
import { parseBreaks } from "../../sandbox-services/lib/breaks.js";
import { loadServiceConfig } from "../../sandbox-services/lib/service-config.js";

describe("SANDBOX_BREAK", () => {
  it("parses a comma list, trimmed, deduplicated and in canonical order", () => {
    expect(parseBreaks(" timeout, breaker,,timeout ")).toEqual(["breaker", "timeout"]);
    expect(parseBreaks("retry-budget,orders-timeout")).toEqual(["orders-timeout", "retry-budget"]);
    expect(parseBreaks(undefined)).toEqual([]);
  });

  it("refuses unknown switches instead of silently breaking nothing", () => {
    expect(() => parseBreaks("breakr")).toThrow(
      /unknown switch breakr.*gateway-timeout, .*retry-budget, .*timeout, bulkhead/,
    );
  });
});

describe("service config", () => {
  it("ships the documented countermeasures by default", () => {
    const gateway = loadServiceConfig("gateway", {});
    expect(gateway.port).toBe(18080);
    expect(gateway.dependency).toMatchObject({
      name: "orders",
      url: "http://127.0.0.1:28081",
      path: "/orders",
      timeoutMs: 1500,
      bulkhead: { maxConcurrent: 40, maxQueue: 120, queueTimeoutMs: 800 },
      retries: 0,
      fallback: false,
    });
    expect(gateway.dependency?.breaker.enabled).toBe(false);

    const orders = loadServiceConfig("orders", {});
    expect(orders.dependency).toMatchObject({
      name: "payments",
      url: "http://127.0.0.1:28082",
      timeoutMs: 300,
      bulkhead: { maxConcurrent: 8, maxQueue: 32, queueTimeoutMs: 500 },
      retries: 0,
      fallback: true,
    });
    expect(orders.dependency?.breaker).toEqual({
      enabled: true,
      halfOpen: true,
      errorThresholdPercentage: 50,
      rollingCountTimeoutMs: 5000,
      volumeThreshold: 5,
      resetTimeoutMs: 3000,
    });

    const payments = loadServiceConfig("payments", {});
    expect(payments.dependency).toMatchObject({
      name: "risk",
      timeoutMs: 200,
      bulkhead: { maxConcurrent: 8, maxQueue: 32, queueTimeoutMs: 100 },
      retries: 3,
      backoff: { baseMs: 25, capMs: 400, jitter: "full" },
      budget: { enabled: true, ratio: 0.5, minRetries: 10, windowMs: 10_000 },
    });
    expect(loadServiceConfig("risk", {}).dependency).toBeUndefined();
  });

  it("reads per-service variables", () => {
    const orders = loadServiceConfig("orders", {
      SANDBOX_ORDERS_PORT: "19001",
      SANDBOX_ORDERS_DEPENDENCY_URL: "http://127.0.0.1:19002",
      SANDBOX_ORDERS_BREAKER_RESET_TIMEOUT_MS: "1000",
      SANDBOX_ORDERS_FALLBACK: "off",
      SANDBOX_PAYMENTS_TIMEOUT_MS: "9", // another service's variable: ignored here
    });
    expect(orders.port).toBe(19001);
    expect(orders.dependency?.url).toBe("http://127.0.0.1:19002");
    expect(orders.dependency?.breaker.resetTimeoutMs).toBe(1000);
    expect(orders.dependency?.fallback).toBe(false);
    expect(orders.dependency?.timeoutMs).toBe(300);
  });

  it("lets SANDBOX_BREAK switches win over the fine-grained variables", () => {
    const env = {
      SANDBOX_BREAK: "breaker,jitter,timeout,retries,fallback",
      SANDBOX_ORDERS_BREAKER: "on",
      SANDBOX_PAYMENTS_RETRIES: "5",
    };
    const orders = loadServiceConfig("orders", env).dependency;
    expect(orders?.breaker.enabled).toBe(false);
    expect(orders?.fallback).toBe(false);
    expect(orders?.timeoutMs).toBe(0);
    const payments = loadServiceConfig("payments", env).dependency;
    expect(payments?.retries).toBe(0);
    expect(payments?.backoff.jitter).toBe("none");
    expect(loadServiceConfig("gateway", env).dependency?.timeoutMs).toBe(0);
    const more = { SANDBOX_BREAK: "retry-budget,backoff,breaker-close,payments-bulkhead" };
    expect(loadServiceConfig("payments", more).dependency).toMatchObject({
      budget: { enabled: false },
      backoff: { baseMs: 0 },
      bulkhead: { maxConcurrent: 0 },
      timeoutMs: 200,
    });
    expect(loadServiceConfig("orders", more).dependency?.breaker).toMatchObject({
      enabled: true,
      halfOpen: false,
    });
  });

  it("names the variable and the problem on bad input", () => {
    expect(() => loadServiceConfig("payments", { SANDBOX_PAYMENTS_RETRIES: "three" })).toThrow(
      /SANDBOX_PAYMENTS_RETRIES=three/,
    );
    expect(() => loadServiceConfig("orders", { SANDBOX_ORDERS_BREAKER: "maybe" })).toThrow(
      /SANDBOX_ORDERS_BREAKER=maybe/,
    );
    expect(() => loadServiceConfig("payments", { SANDBOX_PAYMENTS_RETRIES: "50" })).toThrow(
      /dependency\.retries/,
    );
    expect(() => loadServiceConfig("risk", { SANDBOX_BREAK: "nope" })).toThrow(/SANDBOX_BREAK/);
  });

  it("SANDBOX_OBSERVE: logs and tracing on by default, one switch for every service, refused when unclear", () => {
    for (const s of ["gateway", "orders", "payments", "risk"] as const) {
      expect(loadServiceConfig(s, {}).observe).toBe(true);
      expect(loadServiceConfig(s, { SANDBOX_OBSERVE: "off" }).observe).toBe(false);
    }
    expect(() => loadServiceConfig("gateway", { SANDBOX_OBSERVE: "quiet" })).toThrow(/SANDBOX_OBSERVE=quiet/);
  });

  it("SANDBOX_LOG_MAX_BYTES, SANDBOX_LOG_MAX_FILES: the logs rotate at 10 MiB keeping 5 files by default, for every service", () => {
    for (const s of ["gateway", "orders", "payments", "risk"] as const) {
      expect(loadServiceConfig(s, {}).logRotation).toEqual({ maxBytes: 10 * 1024 * 1024, maxFiles: 5 });
      expect(
        loadServiceConfig(s, { SANDBOX_LOG_MAX_BYTES: "65536", SANDBOX_LOG_MAX_FILES: "2" }).logRotation,
      ).toEqual({ maxBytes: 65536, maxFiles: 2 });
    }
    expect(loadServiceConfig("risk", { SANDBOX_LOG_MAX_BYTES: "0" }).logRotation.maxBytes).toBe(0);
    expect(() => loadServiceConfig("risk", { SANDBOX_LOG_MAX_BYTES: "10MiB" })).toThrow(
      /SANDBOX_LOG_MAX_BYTES=10MiB/,
    );
    expect(() => loadServiceConfig("risk", { SANDBOX_LOG_MAX_BYTES: "100" })).toThrow(
      /logRotation\.maxBytes/,
    );
    expect(() => loadServiceConfig("risk", { SANDBOX_LOG_MAX_FILES: "-1" })).toThrow(
      /SANDBOX_LOG_MAX_FILES=-1/,
    );
  });
});
