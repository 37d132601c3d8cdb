import { reachProblem } from "../targets/target-reach.js";
import type { Target } from "../targets/targets-schema.js";
import { describeFound } from "./issue-messages.js";

/** What of a check (steady state, expectation, abort condition) reaches anything. */
interface Check {
  http?: { url: string } | undefined;
  scrape?: { target: string } | undefined;
  alert?: { source?: string | undefined } | undefined;
}
type Path = (string | number)[];
export interface ReachIssue {
  path: Path;
  message: string;
}

/**
 * What a file's checks reach, against the target (the only source of reach): every URL it calls
 * (the load, http probes, scrape targets written as URLs), scrape targets by name, alert sources.
 * Experiments and drills share it, so a drill's steady state cannot call what an experiment may not.
 * `lists` maps a spec field (steadyState, expect, abortWhen) to its checks.
 */
export function checkReachIssues(
  spec: { load?: { url: string } | undefined; lists: Record<string, readonly Check[]> },
  target: Target | undefined,
  targetName: string,
): ReachIssue[] {
  const urls: { path: Path; url: string }[] = [];
  if (spec.load) urls.push({ path: ["spec", "load", "url"], url: spec.load.url });
  for (const [list, items] of Object.entries(spec.lists))
    items.forEach((item, i) => {
      if (item.http) urls.push({ path: ["spec", list, i, "http", "url"], url: item.http.url });
      if (item.scrape?.target.includes(":"))
        urls.push({ path: ["spec", list, i, "scrape", "target"], url: item.scrape.target });
    });
  const out = urls.flatMap(({ path, url }) => {
    const message = reachProblem(url, target, targetName);
    return message ? [{ path, message }] : [];
  });
  if (target)
    out.push(
      ...scrapeNameIssues(spec.lists, target, targetName),
      ...alertSourceIssues(spec.lists, target, targetName),
    );
  return out;
}

/** Scrape targets given by name must be in the target's scrape list (caught here, not mid-run). */
function scrapeNameIssues(
  lists: Record<string, readonly Check[]>,
  target: Target,
  targetName: string,
): ReachIssue[] {
  const known = Object.keys(target.scrape);
  return Object.entries(lists).flatMap(([list, items]) =>
    items.flatMap((item, i) => {
      const name = item.scrape?.target;
      if (name === undefined || name.includes(":") || Object.hasOwn(target.scrape, name)) return [];
      return [
        {
          path: ["spec", list, i, "scrape", "target"],
          message: `expected a scrape target of target "${targetName}" (${known.join(", ") || "none listed"}) or a URL, found ${describeFound(name)}`,
        },
      ];
    }),
  );
}

/** An alert's source must be a metric source of the target with an alerts API (caught here, not mid-run). */
function alertSourceIssues(
  lists: Record<string, readonly Check[]>,
  target: Target,
  targetName: string,
): ReachIssue[] {
  const known = target.prometheus ? ["prometheus"] : [];
  return Object.entries(lists).flatMap(([list, items]) =>
    items.flatMap((item, i) => {
      const source = item.alert?.source;
      if (source === undefined || known.includes(source)) return [];
      return [
        {
          path: ["spec", list, i, "alert", "source"],
          message: `expected a metric source of target "${targetName}" with an alerts API (${known.join(", ") || "none: the target has no prometheus url"}), found ${describeFound(source)}`,
        },
      ];
    }),
  );
}
