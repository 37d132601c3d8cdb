/** Polls `check` until it returns a value, at most `timeoutMs`; the last reason is kept for the error. */
export async function waitUntil<T>(
  check: () => Promise<{ done: true; value: T } | { done: false; reason: string }>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<{ ok: true; value: T } | { ok: false; reason: string }> {
  const deadline = Date.now() + timeoutMs;
  let reason = "not checked";
  for (let i = 0; i < 100_000; i++) {
    const r = await check();
    if (r.done) return { ok: true, value: r.value };
    reason = r.reason;
    if (Date.now() + intervalMs > deadline) break;
    await new Promise((res) => setTimeout(res, intervalMs));
  }
  return { ok: false, reason };
}
