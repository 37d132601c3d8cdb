import { z } from "zod";

/**
 * The typed catalogue a drill's answer key and a responder's answer both choose from: what broke
 * (mechanism) and what set it off (trigger). One table, so the schema, the CLI's choices, the
 * responder API and the scoring cannot disagree.
 */
export const MECHANISMS = {
  "cache-miss-storm": "a cache stops absorbing reads, so every request reaches the slower store behind it",
  "pool-exhaustion": "a connection or worker pool runs out, so requests queue waiting for a slot",
  "memory-leak": "memory grows without bound until the process slows down (GC) or dies",
  "timeout-misconfiguration": "a timeout set too long or too short for the path it guards",
  "slow-dependency": "a dependency answers, but much more slowly than usual",
  "retry-amplification": "retries multiply the load on a struggling dependency",
  "dependency-outage": "a dependency does not answer at all (refused, reset or hung connections)",
  "connection-leak": "connections are opened and never released, until none are left",
} as const;
export const MECHANISM_NAMES = Object.keys(MECHANISMS) as [
  keyof typeof MECHANISMS,
  ...(keyof typeof MECHANISMS)[],
];
export const mechanismSchema = z.enum(MECHANISM_NAMES);
export type Mechanism = z.infer<typeof mechanismSchema>;

export const TRIGGERS = {
  "config-change": "a configuration value changed (a flag, a timeout, a pool size)",
  deploy: "a new version was rolled out",
  traffic: "more or different traffic than usual",
  "dependency-degradation": "something this service depends on got worse",
} as const;
export const TRIGGER_NAMES = Object.keys(TRIGGERS) as [keyof typeof TRIGGERS, ...(keyof typeof TRIGGERS)[]];
export const triggerSchema = z.enum(TRIGGER_NAMES);
export type Trigger = z.infer<typeof triggerSchema>;

/**
 * What a responder may do to the sandbox. Each is a real action of the drill runner
 * (src/drill/mitigation-actions.ts); a drill lists which of them it offers.
 */
export const MITIGATIONS = {
  "restart-service": "restart one sandbox service process (it comes back with its configured settings)",
  "rollback-config": "roll back the last configuration change (reverts the drill's injected change early)",
  "shed-load": "shed load at the edge (the drill's load rate is halved)",
} as const;
export const MITIGATION_NAMES = Object.keys(MITIGATIONS) as [
  keyof typeof MITIGATIONS,
  ...(keyof typeof MITIGATIONS)[],
];
export const mitigationSchema = z.enum(MITIGATION_NAMES);
export type Mitigation = z.infer<typeof mitigationSchema>;
