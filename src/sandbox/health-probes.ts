import { setTimeout as sleep } from "node:timers/promises";
import { type ServiceHealth, serviceHealthSchema } from "../../sandbox-services/lib/service-bootstrap.js";

export interface ProbeResult {
  healthy: boolean;
  detail: string;
  /** What a sandbox service says about itself (pid, who started it, its config). */
  service?: ServiceHealth;
}

async function get(url: string, timeoutMs: number): Promise<Response> {
  return fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
}

function reason(err: unknown): string {
  const cause = (err as { cause?: { code?: string } }).cause;
  return cause?.code ?? (err instanceof Error ? err.message : String(err));
}

/** 200 on `url` means healthy (Toxiproxy /version, Prometheus /-/ready). */
export async function probeOk(url: string, timeoutMs = 1000): Promise<ProbeResult> {
  try {
    const res = await get(url, timeoutMs);
    await res.body?.cancel();
    return { healthy: res.ok, detail: res.ok ? "ok" : `HTTP ${res.status}` };
  } catch (err) {
    return { healthy: false, detail: reason(err) };
  }
}

/** A sandbox service's /health, which must also name the expected service. */
export async function probeService(baseUrl: string, name: string, timeoutMs = 1000): Promise<ProbeResult> {
  try {
    const res = await get(`${baseUrl}/health`, timeoutMs);
    if (!res.ok) return { healthy: false, detail: `HTTP ${res.status}` };
    const parsed = serviceHealthSchema.safeParse(await res.json());
    if (!parsed.success) return { healthy: false, detail: "answers /health, but not as a sandbox service" };
    if (parsed.data.service !== name) {
      return { healthy: false, detail: `port is taken by sandbox service ${parsed.data.service}` };
    }
    return { healthy: true, detail: "ok", service: parsed.data };
  } catch (err) {
    return { healthy: false, detail: reason(err) };
  }
}

/** Polls `check` until it returns a value; the timeout error carries the last reason given. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<{ value?: T; detail: string }>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = "not checked yet";
  while (Date.now() < deadline) {
    const r = await check();
    if (r.value !== undefined) return r.value;
    last = r.detail;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${last}`);
}
