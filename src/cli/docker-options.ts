import { Option } from "commander";

/** Options of `gameday sandbox` for the containerised stack (docker compose). */
export const DOCKER_OPTIONS = {
  runtime: () =>
    new Option(
      "--runtime <runtime>",
      "processes on this machine, containers under docker compose, or pods on the local Kubernetes node",
    )
      .choices(["process", "docker", "kubernetes"])
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
  kubeconfig: () =>
    new Option(
      "--kubeconfig <file>",
      "kubernetes runtime: the cluster (default $GAMEDAY_KUBECONFIG, else .gameday/kube/kubeconfig)",
    ),
  context: () =>
    new Option("--context <name>", "kubernetes runtime: the kubeconfig context").default("gameday-admin"),
} as const;
