import type { InputIssue } from "../errors/gameday-error.js";
import type { Target } from "../targets/targets-schema.js";
import { didYouMean } from "./did-you-mean.js";
import { isObject } from "./refine-helpers.js";
import { formatPath, locateValue } from "./yaml-locator.js";
import type { YamlSource } from "./yaml-source.js";

type Path = (string | number)[];
type Problem = { path: Path; message: string };

const items = (v: unknown): [number, Record<string, unknown>][] =>
  Array.isArray(v)
    ? [...v.entries()].filter((e): e is [number, Record<string, unknown>] => isObject(e[1]))
    : [];

function allowed(value: unknown, list: readonly string[], what: string, path: Path): Problem[] {
  if (typeof value !== "string" || list.includes(value)) return [];
  return [
    {
      path,
      message: `${what} "${value}" is not in the allow-list (${list.join(", ")})${didYouMean(value, list)}`,
    },
  ];
}

/** A fault's family must have an entry in the target, and name only what that entry allow-lists. */
function faultProblems(fault: Record<string, unknown>, target: Target, name: string, path: Path): Problem[] {
  const missing = (family: string) => [
    { path: [...path, family], message: `fault uses ${family}, but target "${name}" has no ${family} entry` },
  ];
  const out: Problem[] = [];
  const { toxiproxy, docker, kubernetes, app } = fault;
  if (isObject(toxiproxy)) {
    if (!target.toxiproxy) return missing("toxiproxy");
    out.push(...allowed(toxiproxy.proxy, target.toxiproxy.proxies, "proxy", [...path, "toxiproxy", "proxy"]));
  }
  if (isObject(docker) && !target.docker) return missing("docker");
  if (isObject(app)) {
    if (!target.app) return missing("app");
    out.push(
      ...allowed(app.service, Object.keys(target.app.services), "service", [...path, "app", "service"]),
    );
  }
  if (isObject(kubernetes)) {
    const kube = target.kubernetes;
    if (!kube) return missing("kubernetes");
    const at = [...path, "kubernetes"];
    out.push(...allowed(kubernetes.namespace, kube.namespaces, "namespace", [...at, "namespace"]));
    out.push(...allowed(kubernetes.context, kube.contexts, "context", [...at, "context"]));
    if (isObject(kubernetes.toxiproxy)) {
      if (!kube.toxiproxy)
        out.push({
          path: [...at, "toxiproxy"],
          message: `target "${name}" has no kubernetes.toxiproxy entry`,
        });
      else
        out.push(
          ...allowed(kubernetes.toxiproxy.proxy, kube.toxiproxy.proxies, "proxy", [
            ...at,
            "toxiproxy",
            "proxy",
          ]),
        );
    }
  }
  return out;
}

/** A metric source must exist in the target: a named scrape target, a Prometheus for promql. */
function sourceProblems(item: Record<string, unknown>, target: Target, name: string, path: Path): Problem[] {
  const out: Problem[] = [];
  if (item.promql !== undefined && !target.prometheus)
    out.push({ path: [...path, "promql"], message: `promql needs a prometheus url in target "${name}"` });
  const scrape = item.scrape;
  if (isObject(scrape) && typeof scrape.target === "string" && !/^https?:\/\//.test(scrape.target)) {
    const known = Object.keys(target.scrape);
    if (!known.includes(scrape.target))
      out.push({
        path: [...path, "scrape", "target"],
        message: `scrape target "${scrape.target}" is not in target "${name}"'s scrape list (${known.join(", ") || "none"})${didYouMean(scrape.target, known)}`,
      });
  }
  return out;
}

/**
 * What an experiment names in its target environment (proxies, namespaces, contexts, scrape
 * targets, Prometheus) checked against the targets file alone, without contacting anything: the
 * same refusals a run's preflight would meet, reported by `gameday validate` beside the schema
 * errors. Works on the raw document, so it runs even when other fields are invalid.
 */
export function targetReferenceIssues(source: YamlSource, target: Target, name: string): InputIssue[] {
  let raw: unknown;
  try {
    raw = source.doc.toJS();
  } catch {
    return [];
  }
  const spec = isObject(raw) && isObject(raw.spec) ? raw.spec : {};
  const problems: Problem[] = [];
  for (const [i, fault] of items(spec.faults))
    problems.push(...faultProblems(fault, target, name, ["spec", "faults", i]));
  for (const list of ["steadyState", "expect", "abortWhen"] as const)
    for (const [i, item] of items(spec[list]))
      problems.push(...sourceProblems(item, target, name, ["spec", list, i]));
  return problems.map((p) => {
    const { line, column } = locateValue(source, p.path);
    return { file: source.file, line, column, path: formatPath(p.path), message: p.message };
  });
}
