import { existsSync } from "node:fs";
import { processAlive } from "../store/process-alive.js";
import { DrillFolder } from "./drill-state.js";

/** The organizer's summary of a drill: never the scenario, which stays in the timeline and the report. */
export function drillStatus(stateDir: string, id?: string) {
  const folder = DrillFolder.find(stateDir, id);
  const info = folder.readInfo();
  const events = folder.readTimeline();
  const responders = Object.keys(folder.readTokens().responders);
  const status = info.status === "running" && !processAlive(info.pid) ? "interrupted" : info.status;
  return {
    id: info.id,
    status,
    url: info.url,
    startedAt: new Date(info.startedAt).toISOString(),
    responders: responders.map((r) => ({
      responder: r,
      acknowledged: events.some((e) => e.type === "ack" && e.responder === r),
      answered: events.some((e) => e.type === "answer" && e.responder === r),
    })),
    ...(existsSync(folder.path("report.md")) ? { report: folder.path("report.md") } : {}),
  };
}
