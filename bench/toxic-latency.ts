import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { faultSchema } from "../src/experiment/schema.js";
import { ToxiproxyInjector } from "../src/faults/toxiproxy/toxiproxy-injector.js";
import { TOXIC_LOOP } from "./support/chaostoolkit.js";
import { assertClean, type BenchContext } from "./support/context.js";
import type { Section } from "./support/report.js";
import { percentile } from "./support/stats.js";

const run = promisify(execFile);
const WARMUP = 20;

interface Ours {
  inject: number[];
  revert: number[];
  verify: number[];
}

/** Our injector exactly as the runner uses it: plan once (preflight), then inject, revert, verify. */
async function oursBlock(ctx: BenchContext, injector: ToxiproxyInjector, rounds: number, block: number) {
  const fault = faultSchema.parse({
    name: "bench-latency",
    for: "1s",
    toxiproxy: { proxy: ctx.stack.proxyName, toxic: "latency", latency: "100ms" },
  });
  await injector.plan(fault);
  const out: Ours = { inject: [], revert: [], verify: [] };
  for (let i = 0; i < WARMUP + rounds; i++) {
    const t0 = performance.now();
    const active = await injector.inject(fault, { runId: `bench${block}x${i}`, experiment: "bench" });
    const t1 = performance.now();
    await active.revert();
    const t2 = performance.now();
    await active.verifyReverted();
    const t3 = performance.now();
    if (i < WARMUP) continue;
    out.inject.push(t1 - t0);
    out.revert.push(t2 - t1);
    out.verify.push(t3 - t2);
  }
  return out;
}

async function peerBlock(ctx: BenchContext, python: string, rounds: number) {
  const { stdout } = await run(
    python,
    [TOXIC_LOOP, ctx.stack.toxiproxyUrl, ctx.stack.proxyName, String(rounds), String(WARMUP)],
    { timeout: 120_000, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout) as { create: number[]; delete: number[] };
}

const sums = (...series: number[][]) =>
  (series[0] ?? []).map((_, i) => series.reduce((s, a) => s + (a[i] ?? 0), 0));

/**
 * Section 1 (our inject/revert latency) and 6a (the same against chaostoolkit-toxiproxy's functions).
 * Both run in alternating blocks on the same Toxiproxy so drift on a shared machine hits both alike.
 */
export async function benchToxicLatency(ctx: BenchContext): Promise<Section[]> {
  const rounds = ctx.quick ? 100 : 300;
  const blocks = 3;
  const per = Math.ceil(rounds / blocks);
  const injector = new ToxiproxyInjector({ url: ctx.stack.toxiproxyUrl, proxies: [ctx.stack.proxyName] });
  const ours: Ours = { inject: [], revert: [], verify: [] };
  const theirs = { create: [] as number[], delete: [] as number[] };
  let peerError: string | undefined =
    "unavailable" in ctx.peer ? `peer unavailable: ${ctx.peer.unavailable}` : undefined;
  for (let b = 0; b < blocks; b++) {
    ctx.log(`toxic latency: block ${b + 1}/${blocks} (${per} rounds each side)`);
    const o = await oursBlock(ctx, injector, per, b);
    ours.inject.push(...o.inject);
    ours.revert.push(...o.revert);
    ours.verify.push(...o.verify);
    if (!peerError && "python" in ctx.peer) {
      try {
        const t = await peerBlock(ctx, ctx.peer.python, per);
        theirs.create.push(...t.create);
        theirs.delete.push(...t.delete);
      } catch (err) {
        peerError = `peer failed: ${(err as Error).message.split("\n").slice(0, 3).join(" ")}`;
      }
    }
    await assertClean(ctx, "the inject/revert loop");
  }
  const ir = sums(ours.inject, ours.revert);
  const irv = sums(ours.inject, ours.revert, ours.verify);
  const cd = sums(theirs.create, theirs.delete);
  const command = `ToxiproxyInjector.plan, then ${ours.inject.length} x (inject, revert, verifyReverted) of a latency toxic on ${ctx.stack.toxiproxyUrl} (+${WARMUP} warm-up per block, ${blocks} blocks)`;
  const one: Section = {
    id: "1",
    title: "Inject and revert of one latency toxic (ToxiproxyInjector, in-process)",
    commands: [command],
    metrics: [
      { name: "inject p50", value: percentile(ours.inject, 50), unit: "ms", below: 5 },
      { name: "inject p95", value: percentile(ours.inject, 95), unit: "ms" },
      { name: "revert p50", value: percentile(ours.revert, 50), unit: "ms", below: 5 },
      { name: "revert p95", value: percentile(ours.revert, 95), unit: "ms" },
      { name: "verify p50", value: percentile(ours.verify, 50), unit: "ms" },
      { name: "inject+revert p50", value: percentile(ir, 50), unit: "ms" },
      { name: "inject+revert p95", value: percentile(ir, 95), unit: "ms" },
      { name: "inject+revert+verify p50", value: percentile(irv, 50), unit: "ms" },
      { name: "inject+revert+verify p95", value: percentile(irv, 95), unit: "ms" },
    ],
    notes: [
      "inject = one POST /proxies/<p>/toxics (the proxy was read once by plan, as in preflight); revert = one DELETE; verify = one GET of the proxy",
      "HTTP over keep-alive (Node fetch) to a private toxiproxy-server on 127.0.0.1",
    ],
    raw: { rounds: ours.inject.length, warmupPerBlock: WARMUP, blocks, ours },
  };
  const six: Section = {
    id: "6a",
    title: "Peer: chaostoolkit-toxiproxy create/delete vs our inject/revert (same Toxiproxy, interleaved)",
    commands: [
      `${"python" in ctx.peer ? ctx.peer.python : "(no python)"} bench/peer/toxic_loop.py ${ctx.stack.toxiproxyUrl} ${ctx.stack.proxyName} ${per} ${WARMUP}  (x${blocks}, between our blocks)`,
      command,
    ],
    metrics: [],
    notes: [
      "theirs: chaostoxi.toxic.actions.create_latency_toxic + delete_toxic called in-process (requests, a new TCP connection per call, no verification); INFO logging silenced",
      "ours: inject + revert (2 requests, keep-alive); ours with verify adds the GET that proves the toxic is gone, which theirs never does",
      "ratio > 1 means chaostoolkit-toxiproxy is slower",
    ],
    raw: { theirs },
  };
  if (peerError) six.error = peerError;
  if (theirs.create.length) {
    six.metrics.push(
      { name: "chaostoolkit-toxiproxy create p50", value: percentile(theirs.create, 50), unit: "ms" },
      { name: "chaostoolkit-toxiproxy delete p50", value: percentile(theirs.delete, 50), unit: "ms" },
      { name: "chaostoolkit-toxiproxy create+delete p50", value: percentile(cd, 50), unit: "ms" },
      { name: "gameday inject+revert p50", value: percentile(ir, 50), unit: "ms" },
      { name: "gameday inject+revert+verify p50", value: percentile(irv, 50), unit: "ms" },
      {
        name: "ratio create+delete / inject+revert",
        value: percentile(cd, 50) / percentile(ir, 50),
        unit: "x",
      },
      {
        name: "ratio create+delete / inject+revert+verify",
        value: percentile(cd, 50) / percentile(irv, 50),
        unit: "x",
      },
    );
  }
  return [one, six];
}
