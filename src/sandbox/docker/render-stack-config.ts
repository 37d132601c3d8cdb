#!/usr/bin/env node
/**
 * Runs inside the compose stack's one-shot `config` container: writes the Prometheus scrape config
 * and the Toxiproxy proxy list for the ports compose was given, so one set of variables moves the
 * whole stack (the same renderers as the process sandbox).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ALERT_RULES_FILE, renderAlertRules } from "../alert-rules.js";
import { renderPrometheusConfig } from "../prometheus-config.js";
import { wantedProxies } from "../toxiproxy-proxies.js";
import { portsFromEnv } from "./compose-ports.js";

const dir = process.argv[2] ?? "/config";
const ports = portsFromEnv(process.env);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "prometheus.yml"), renderPrometheusConfig(ports), { mode: 0o644 });
writeFileSync(join(dir, ALERT_RULES_FILE), renderAlertRules(), { mode: 0o644 });
const proxies = wantedProxies(ports).map((p) => ({ ...p, enabled: true }));
writeFileSync(join(dir, "toxiproxy.json"), `${JSON.stringify(proxies, null, 2)}\n`, { mode: 0o644 });
process.stdout.write(
  `wrote ${dir}/prometheus.yml, ${dir}/${ALERT_RULES_FILE} and ${dir}/toxiproxy.json for gateway port ${ports.services.gateway}\n`,
);
