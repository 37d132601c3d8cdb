/** The sandbox launcher behind `gameday sandbox up | down | status`. */
export { BREAKS, type Break } from "../../sandbox-services/lib/breaks.js";
export { type SandboxDownOptions, type SandboxDownResult, sandboxDown } from "./sandbox-down.js";
export type { SandboxEndpoints } from "./sandbox-endpoints.js";
export type { SandboxLayoutOptions, SandboxPorts } from "./sandbox-layout.js";
export {
  type ComponentStatus,
  type ProxyStatus,
  type SandboxStatus,
  sandboxStatus,
} from "./sandbox-status.js";
export { type SandboxUpOptions, sandboxUp } from "./sandbox-up.js";
