/**
 * The helpers gameday runs inside a container, as `node -e <script> <ownerTag> ...`. Each carries the
 * owner tag in its argv (so it can be found and killed without a journal) and a deadline after
 * which it exits by itself, even when the gameday that started it was killed (a dead-man's switch).
 * They need Node in the container, which the sandbox images have.
 */

const deadlineGuard = `const end = Number(process.argv[3]);
if (!(end > Date.now())) process.exit(0);
setTimeout(() => process.exit(0), end - Date.now());`;

/** Allocates and touches `bytes` gradually (64 MiB per 100 ms, like a fast leak), then holds them. */
const memoryHog = `${deadlineGuard}
const bytes = Number(process.argv[2]);
if (process.argv[4] === "main") {
  try { require("node:fs").writeFileSync("/proc/1/oom_score_adj", "1000"); } catch {}
}
const chunks = [];
let held = 0;
const step = setInterval(() => {
  for (let i = 0; i < 16 && held < bytes; i++) {
    const size = Math.min(4 << 20, bytes - held);
    chunks.push(Buffer.alloc(size, 1));
    held += size;
  }
  if (held >= bytes) clearInterval(step);
}, 100);`;

/** One busy thread per worker until the deadline. */
const cpuBurn = `${deadlineGuard}
const { Worker } = require("node:worker_threads");
for (let i = 0; i < Number(process.argv[2]); i++)
  new Worker("const end = " + end + "; while (Date.now() < end) {}", { eval: true });`;

/** Lists (and with "kill", SIGKILLs) every process whose argv holds the owner tag, except itself. */
const findHelpers = `const fs = require("node:fs");
const [tag, what] = process.argv.slice(1);
const found = [];
for (const pid of fs.readdirSync("/proc").filter((p) => /^\\d+$/.test(p))) {
  if (Number(pid) === process.pid) continue;
  let argv;
  try { argv = fs.readFileSync("/proc/" + pid + "/cmdline", "utf8").split("\\0"); } catch { continue; }
  if (!argv.includes(tag)) continue;
  found.push(Number(pid));
  if (what === "kill") try { process.kill(Number(pid), "SIGKILL"); } catch {}
}
process.stdout.write(JSON.stringify(found));`;

export function memoryHogCmd(ownerTag: string, bytes: number, deadline: number, victim: string): string[] {
  return ["node", "-e", memoryHog, ownerTag, String(bytes), String(deadline), victim];
}

export function cpuBurnCmd(ownerTag: string, workers: number, deadline: number): string[] {
  return ["node", "-e", cpuBurn, ownerTag, String(workers), String(deadline)];
}

export function findHelpersCmd(ownerTag: string, kill: boolean): string[] {
  return ["node", "-e", findHelpers, ownerTag, kill ? "kill" : "list"];
}
