/** How every report, listing and page writes a moment and a span: one place, so they all agree. */

/** `2026-12-02 05:14:48Z`, or "-" for a moment that did not happen. */
export function clockText(t: number | undefined): string {
  return t
    ? new Date(t)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")
    : "-";
}

/** `12.3 s` */
export function secondsText(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The span from a to b as `12.3 s`, or "-" when either end is missing. */
export function spanText(a: number | undefined, b: number | undefined): string {
  return a && b ? secondsText(b - a) : "-";
}
