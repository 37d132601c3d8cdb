import { afterEach, describe, expect, it } from "vitest";
import { MAX_DURATION_MS, parseDuration } from "../../src/experiment/duration.js";
import { expand } from "../../src/experiment/interpolate.js";
import { promLabelValue, promSelector } from "../../src/probes/promql.js";
import { clearSecrets, redact, redactDeep, registerSecret } from "../../src/redact/redact.js";

describe("redact", () => {
  afterEach(() => clearSecrets());

  it("masks URL passwords, Authorization values and every registered secret, in all its forms", () => {
    expect(redact("connect redis://:s3cret-pw@127.0.0.1:6379 failed")).toBe(
      "connect redis://:***@127.0.0.1:6379 failed",
    );
    expect(redact("GET http://user:pa55word@h/x")).toBe("GET http://user:***@h/x");
    expect(redact("Authorization: Bearer abc.def")).toBe("Authorization: Bearer ***");
    expect(redact('{"authorization":"Basic dXNlcjpwdw=="}')).toBe('{"authorization":"Basic ***"}');
    registerSecret("tok/en+1");
    expect(redact("a tok/en+1 b tok%2Fen%2B1 c dG9rL2VuKzE=")).toBe("a *** b *** c ***");
    expect(redactDeep({ nested: ["x tok/en+1"], password: "anything" })).toEqual({
      nested: ["x ***"],
      password: "***",
    });
  });

  it("leaves ordinary text alone (short values are never registered)", () => {
    registerSecret("ab");
    expect(redact("ab authorization failed http://h/x")).toBe("ab authorization failed http://h/x");
  });
});

describe("durations", () => {
  it("each unit once, largest first, bounded", () => {
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1m30s")).toBe(90_000);
    expect(parseDuration("1s500ms")).toBe(1500);
    expect(parseDuration("1.5s")).toBe(1500);
    for (const bad of ["5s5s", "30s1m", "ms", "", "1e3s", `${"9".repeat(400)}s`, "1.23456s"])
      expect(parseDuration(bad), bad).toBeUndefined();
    expect(MAX_DURATION_MS).toBeLessThan(2 ** 31 - 1);
  });
});

describe("interpolation scanner", () => {
  it("is linear: 200,000 unterminated ${ take milliseconds and one problem", () => {
    const started = performance.now();
    const { problems } = expand("${".repeat(200_000), {}, "vars");
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toMatch(/^unterminated reference "\$\{\$\{.{0,80}\.\.\."/);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("PromQL label values", () => {
  it("cannot close the string and add a query", () => {
    expect(promLabelValue('payments"}) or vector(2) #')).toBe('"payments\\"}) or vector(2) #"');
    expect(promSelector({ service: "orders", dependency: "a\\b\nc", none: undefined })).toBe(
      'service="orders",dependency="a\\\\b\\nc"',
    );
  });
});
