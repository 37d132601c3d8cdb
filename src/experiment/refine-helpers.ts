/** Helpers for the schema's cross-field rules. */
export type RefineIssue = { path: (string | number)[]; message: string };
export type RefineCtx = {
  addIssue: (issue: { code: "custom"; path: (string | number)[]; message: string }) => void;
};
export const report = (ctx: RefineCtx, issue: RefineIssue) => ctx.addIssue({ code: "custom", ...issue });

/**
 * Cross-field rules run even when a sibling field already failed (zod skips them by default),
 * so one pass reports every problem of a file; they only need the value to be a mapping.
 */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const onObjects = { when: (payload: { value: unknown }) => isObject(payload.value) };
