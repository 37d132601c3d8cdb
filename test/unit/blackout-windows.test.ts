import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/errors/gameday-error.js";
import { blackoutOverlapping, blackoutRefusal } from "../../src/safety/blackout-window.js";
import { formatZoned, zonedToEpoch } from "../../src/safety/zoned-time.js";
import { type Blackout, blackoutSchema } from "../../src/targets/blackout-schema.js";
import { loadTargetsText } from "../../src/targets/targets-loader.js";

const w = (x: unknown): Blackout => blackoutSchema.parse(x);
const at = (iso: string) => Date.parse(iso);
const MIN = 60_000;

describe("time zones through Intl", () => {
  it("wall time to instant, both sides of a DST change", () => {
    // New York: EST (-5) in December, EDT (-4) after 2026-03-08 02:00.
    expect(
      new Date(
        zonedToEpoch({ year: 2026, month: 12, day: 4, hour: 16, minute: 0 }, "America/New_York"),
      ).toISOString(),
    ).toBe("2026-12-04T21:00:00.000Z");
    expect(
      new Date(
        zonedToEpoch({ year: 2026, month: 3, day: 8, hour: 12, minute: 0 }, "America/New_York"),
      ).toISOString(),
    ).toBe("2026-03-08T16:00:00.000Z");
    // Berlin: CET (+1) in winter, CEST (+2) in summer.
    expect(
      new Date(
        zonedToEpoch({ year: 2026, month: 12, day: 20, hour: 0, minute: 0 }, "Europe/Berlin"),
      ).toISOString(),
    ).toBe("2026-12-19T23:00:00.000Z");
    expect(
      new Date(
        zonedToEpoch({ year: 2026, month: 7, day: 1, hour: 0, minute: 0 }, "Europe/Berlin"),
      ).toISOString(),
    ).toBe("2026-06-30T22:00:00.000Z");
    expect(formatZoned(at("2026-12-04T21:00:00Z"), "America/New_York")).toBe(
      "2026-12-04 16:00 America/New_York",
    );
  });
});

describe("blackout windows", () => {
  const freeze = w({
    name: "year-end",
    from: "2026-12-20T00:00",
    to: "2027-01-02",
    timezone: "Europe/Berlin",
  });
  const fridays = w({
    name: "friday-evenings",
    weekly: { days: ["fri"], from: "16:00", to: "23:59" },
    timezone: "America/New_York",
  });
  const nights = w({ name: "nights", weekly: { days: ["fri"], from: "22:00", to: "06:00" } });

  it("a period in its zone: inside, just before, just after", () => {
    expect(
      blackoutOverlapping([freeze], at("2026-12-19T22:59:00Z"), at("2026-12-19T22:59:30Z")),
    ).toBeUndefined();
    const hit = blackoutOverlapping([freeze], at("2026-12-19T23:00:00Z"), at("2026-12-19T23:01:00Z"));
    expect(hit && new Date(hit.end).toISOString()).toBe("2027-01-01T23:00:00.000Z");
    expect(
      blackoutOverlapping([freeze], at("2027-01-01T23:00:00Z"), at("2027-01-01T23:10:00Z")),
    ).toBeUndefined();
  });

  it("refuses inside a window, naming it and when it ends", () => {
    const msg = blackoutRefusal([freeze], "staging", at("2026-12-24T12:00:00Z"), 5 * MIN);
    expect(msg).toContain(
      'target staging is in blackout window "year-end" (2026-12-20T00:00 to 2027-01-02 Europe/Berlin)',
    );
    expect(msg).toContain("until 2027-01-02 00:00 Europe/Berlin (2027-01-01T23:00:00.000Z)");
  });

  it("weekly in New York: Friday 16:00-23:59 local, not Thursday, and a run that would cross into it", () => {
    // Friday 2026-12-04 17:00 EST = 22:00Z
    expect(blackoutRefusal([fridays], "t", at("2026-12-04T22:00:00Z"), MIN)).toContain(
      "until 2026-12-04 23:59 America/New_York",
    );
    expect(blackoutRefusal([fridays], "t", at("2026-12-03T22:00:00Z"), MIN)).toBeUndefined();
    // 15:50 local with a 5 minute plan is fine; with 15 minutes it would reach 16:00.
    expect(blackoutRefusal([fridays], "t", at("2026-12-04T20:50:00Z"), 5 * MIN)).toBeUndefined();
    const crossing = blackoutRefusal([fridays], "t", at("2026-12-04T20:50:00Z"), 15 * MIN);
    expect(crossing).toContain('planned duration (15m) would reach blackout window "friday-evenings"');
    expect(crossing).toContain("starts at 2026-12-04 16:00 America/New_York (2026-12-04T21:00:00.000Z)");
  });

  it("a weekly window past midnight runs into the next day", () => {
    // Saturday 2026-12-05 03:00 UTC is inside Friday's 22:00-06:00.
    expect(
      blackoutOverlapping([nights], at("2026-12-05T03:00:00Z"), at("2026-12-05T03:01:00Z"))?.window.name,
    ).toBe("nights");
    expect(
      blackoutOverlapping([nights], at("2026-12-05T06:00:00Z"), at("2026-12-05T07:00:00Z")),
    ).toBeUndefined();
    expect(
      blackoutOverlapping([nights], at("2026-12-04T21:00:00Z"), at("2026-12-04T21:59:00Z")),
    ).toBeUndefined();
  });

  it("24:00 is the end of the day; no windows, no refusal", () => {
    const allFriday = w({ name: "all-friday", weekly: { days: ["fri"], from: "00:00", to: "24:00" } });
    expect(
      blackoutOverlapping([allFriday], at("2026-12-04T23:59:00Z"), at("2026-12-04T23:59:30Z")),
    ).toBeDefined();
    expect(
      blackoutOverlapping([allFriday], at("2026-12-05T00:00:00Z"), at("2026-12-05T00:30:00Z")),
    ).toBeUndefined();
    expect(blackoutRefusal([], "t", Date.now(), MIN)).toBeUndefined();
  });
});

describe("blackouts that do not parse: exit 2 naming file, line and field", () => {
  const text = (blackouts: string) =>
    `apiVersion: gameday/v1\nkind: Targets\ntargets:\n  t1:\n    blackouts:\n${blackouts}\n`;
  const issues = (blackouts: string): string => {
    try {
      loadTargetsText(text(blackouts), "targets.yaml");
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).exitCode).toBe(2);
      return (err as Error).message;
    }
    throw new Error("expected a ValidationError");
  };

  it("each bad field is located", () => {
    expect(issues('      - { name: a, from: "2026-12-20", to: "2026-12-10" }')).toContain(
      "targets.yaml:6:44: targets.t1.blackouts[0].to: expected a time after from (2026-12-20)",
    );
    expect(issues('      - { name: a, from: "2026-13-01", to: "2027-01-01" }')).toMatch(
      /targets\.yaml:6:\d+: targets\.t1\.blackouts\[0\]\.from: expected a date or date-time/,
    );
    expect(
      issues('      - { name: a, weekly: { days: [fri], from: "16:00", to: "17:00" }, timezone: Mars/Base }'),
    ).toMatch(/targets\.yaml:6:\d+: targets\.t1\.blackouts\[0\]\.timezone: expected an IANA time zone/);
    expect(issues('      - { name: a, weekly: { days: [friday], from: "16:00", to: "17:00" } }')).toMatch(
      /blackouts\[0\]\.weekly\.days\[0\]: expected one of "sun"/,
    );
    expect(issues("      - { name: a }")).toContain(
      "expected from and to (a period) or weekly (a weekly window)",
    );
    expect(issues('      - { name: a, to: "2027-01-01" }')).toContain(
      'blackouts[0].from: missing required field "from": expected from with to',
    );
  });
});
