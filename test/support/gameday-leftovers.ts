import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { docker, TEST_LABEL } from "./docker-engine.js";
import { STACK_PROJECT } from "./docker-stack.js";
import { NETNS_PREFIX, NETNS_ROOT, netnsEngineProcesses } from "./netns-engine-teardown.js";

const run = promisify(execFile);

/**
 * What gameday's tests could leave behind on this machine: test containers, the tests' compose
 * stack, owner markers (a fault never reverted) and network-namespace Docker Engines. Listed
 * before and after the whole run, so anything new at the end fails it.
 */
export async function gamedayLeftovers(): Promise<string[]> {
  const out: string[] = [];
  if (
    await docker.ping().then(
      () => true,
      () => false,
    )
  )
    for (const label of [
      TEST_LABEL,
      "gameday.role=owner-marker",
      `com.docker.compose.project=${STACK_PROJECT}`,
    ])
      for (const c of await docker.listContainers({ all: true, filters: { label: [label] } }))
        out.push(`container ${c.Names[0] ?? c.Id} (${label})`);
  const { stdout } = await run("ip", ["netns", "list"]).catch(() => ({ stdout: "" }));
  for (const line of stdout.split("\n"))
    if (line.startsWith(NETNS_PREFIX)) out.push(`network namespace ${line.split(" ")[0]}`);
  for (const f of readdirSync(NETNS_ROOT))
    if (f.startsWith(NETNS_PREFIX)) out.push(`folder ${join(NETNS_ROOT, f)}`);
  return out.concat(netnsEngineProcesses());
}

/** What is there now and was not in `before` (a listing from gamedayLeftovers), as an error text. */
export async function newLeftovers(before: Iterable<string>): Promise<string | undefined> {
  const seen = new Set(before);
  const left = (await gamedayLeftovers()).filter((l) => !seen.has(l));
  return left.length ? `the tests left these behind:\n  ${left.join("\n  ")}` : undefined;
}
