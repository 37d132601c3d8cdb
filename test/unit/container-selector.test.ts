import type Docker from "dockerode";
import { describe, expect, it } from "vitest";
import { dockerFaultSchema } from "../../src/experiment/docker-fault-schema.js";
import { CONFIG_LABEL, OVERRIDE_ROLE } from "../../src/faults/config/config-owner.js";
import { selectContainers } from "../../src/faults/docker/container-selector.js";
import { LABEL, MARKER_ROLE } from "../../src/faults/docker/owner-marker.js";
import { dockerTargetSchema } from "../../src/targets/docker-target-schema.js";

// The selection rules over a listing (the real Engine is in test/docker/); the Engine's own label
// filter is applied before this list reaches selectContainers.
const service = { "com.docker.compose.project": "shop", "com.docker.compose.service": "payments" };
const container = (id: string, name: string, state: string, labels: Record<string, string> = {}) =>
  ({
    Id: id,
    Names: [`/${name}`],
    State: state,
    Labels: { ...service, ...labels },
  }) as unknown as Docker.ContainerInfo;
const engine = (listed: Docker.ContainerInfo[]) =>
  ({ listContainers: async () => listed }) as unknown as Docker;
const target = dockerTargetSchema.parse({ projects: ["shop"] });
const kill = dockerFaultSchema.parse({ select: { project: "shop", service: "payments" }, action: "kill" });

describe("selectContainers", () => {
  it("selects a compose mutant's override container, never the original it parked nor a marker", async () => {
    const listed = [
      container("prior", "shop-payments-1-gameday-prior-prior", "exited"),
      container("override", "shop-payments-1", "running", {
        [CONFIG_LABEL.role]: OVERRIDE_ROLE,
        [CONFIG_LABEL.priorId]: "prior",
      }),
      container("marker", "gameday-marker-x", "created", { [LABEL.role]: MARKER_ROLE }),
    ];
    const selection = await selectContainers(engine(listed), target, kill, "kill-payments");
    expect(selection.candidates.map((c) => c.id)).toEqual(["override"]);
  });

  it("selects the service's container when nothing is overridden", async () => {
    const selection = await selectContainers(
      engine([container("a", "shop-payments-1", "running")]),
      target,
      kill,
      "kill-payments",
    );
    expect(selection.candidates.map((c) => c.id)).toEqual(["a"]);
  });
});
