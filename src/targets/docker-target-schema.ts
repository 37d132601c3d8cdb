import { z } from "zod";

/**
 * The Docker Engine a target may touch, and its blast radius: a container is in scope only when its
 * compose project is listed, or it carries one of the listed labels (key=value).
 */
export const dockerTargetSchema = z
  .strictObject({
    socket: z.string().min(1).default("/var/run/docker.sock").describe("the Docker Engine's unix socket"),
    projects: z.array(z.string().min(1)).default([]).describe("allow-listed compose projects"),
    labels: z.record(z.string(), z.string()).default({}).describe("allow-listed labels (any one suffices)"),
  })
  .refine((d) => d.projects.length > 0 || Object.keys(d.labels).length > 0, {
    error: "expected an allow-list: projects or labels (nothing would be in scope)",
  })
  .describe("Docker Engine endpoint and the containers faults may touch");

export type DockerTarget = z.infer<typeof dockerTargetSchema>;
