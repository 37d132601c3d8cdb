import { Option } from "commander";

/** Options of `gameday sandbox` for the containerised stack (docker compose). */
export const DOCKER_OPTIONS = {
  runtime: () =>
    new Option("--runtime <runtime>", "processes on this machine, or containers under docker compose")
      .choices(["process", "docker"])
      .default("process"),
  project: () =>
    new Option("--project <name>", "docker runtime: the compose project").default("gameday-sandbox"),
  portOffset: () =>
    new Option("--port-offset <n>", "docker runtime: added to the default ports (default 1000)").argParser(
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n)) throw new Error(`--port-offset expects an integer, got "${v}"`);
        return n;
      },
    ),
  registryImages: () =>
    new Option(
      "--registry-images",
      "docker runtime: pull upstream images and build with docker compose --build",
    ),
} as const;
