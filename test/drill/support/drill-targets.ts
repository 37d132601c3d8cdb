import type { SandboxEndpoints } from "../../../src/sandbox/sandbox-stack.js";
import { loadTargetsText } from "../../../src/targets/targets-loader.js";

/**
 * A targets file for the stack ensureSandbox started, whatever its port offset; `appControl`
 * adds the app-fault control endpoints of those services (with the sandbox's token file).
 */
export function drillTargets(
  ep: SandboxEndpoints,
  file: string,
  appControl: (keyof SandboxEndpoints["controlUrls"])[] = [],
) {
  const token = `{ file: "${ep.controlTokenFile}" }`;
  const app = appControl.length
    ? `    app:\n      services:\n${appControl.map((s) => `        ${s}: { control: "${ep.controlUrls[s]}", token: ${token} }\n`).join("")}`
    : "";
  return loadTargetsText(
    `apiVersion: gameday/v1
kind: Targets
targets:
  sandbox:
    vars: { GATEWAY_URL: "${ep.gatewayUrl}" }
    toxiproxy: { url: "${ep.toxiproxyUrl}", proxies: [orders, payments, risk] }
    prometheus: { url: "${ep.prometheusUrl}" }
${app}`,
    file,
  );
}
