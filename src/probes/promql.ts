/**
 * A label value as a PromQL string literal: backslash, double quote and line breaks escaped, so a
 * value can never close the string and add a query of its own (`payments"}) or vector(2) #`).
 */
export function promLabelValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
}

/** `{k="v",...}` from label names (which the caller fixes) and values (which may come from a file). */
export function promSelector(labels: Record<string, string | undefined>): string {
  return Object.entries(labels)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${k}=${promLabelValue(v)}`)
    .join(",");
}
