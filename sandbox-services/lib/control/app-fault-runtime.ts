import { Gauge, type Registry } from "prom-client";
import type { RiskStore } from "../store/risk-store.js";
import {
  type ActiveAppFault,
  APP_FAULT_KINDS,
  type AppFaultKind,
  type ApplyRequest,
  type AppState,
  type ConfigKey,
  type FaultsList,
} from "./app-fault-contract.js";

/** What a service lets app faults change: its store (risk) and its drift-able configuration. */
export interface AppFaultHost {
  service: string;
  store?: RiskStore | undefined;
  /** The current value of every key config-drift may change in this service. */
  configValues(): Partial<Record<ConfigKey, number>>;
  /** Applies a value as a restart with it would (rebuilding what reads it). */
  setConfigValue(key: ConfigKey, value: number): void;
}

export class AppFaultError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const MIB = 1024 * 1024;
const TICK_MS = 100;
/** Doubles per retained MiB: a plain array of doubles lives on the V8 heap, 8 bytes each. */
const DOUBLES_PER_MIB = MIB / 8;

interface Running {
  fault: ActiveAppFault;
  stop(): void;
}

/**
 * The app faults a service carries: one per kind (one per key for config-drift), each reverted
 * exactly (the knob back to 0, the pool to its prior size, the config value to its prior value).
 * Apply is idempotent per id: the same id with the same body is the same fault.
 */
export class AppFaultRuntime {
  private readonly running = new Map<string, Running>();
  private retained: number[][] = [];
  private readonly activeGauge: Gauge<"kind">;

  constructor(
    private readonly host: AppFaultHost,
    registry: Registry,
  ) {
    const self = this;
    this.activeGauge = new Gauge({
      name: "app_faults_active",
      help: "App faults applied through the control endpoint, by kind",
      labelNames: ["kind"] as const,
      registers: [registry],
    });
    for (const kind of APP_FAULT_KINDS) this.activeGauge.set({ kind }, 0);
    new Gauge({
      name: "app_fault_retained_bytes",
      help: "Memory retained by the memory-leak fault",
      registers: [registry],
      collect() {
        this.set(self.retainedBytes());
      },
    });
    new Gauge({
      name: "app_config_value",
      help: "The effective value of each configuration key config-drift may change",
      labelNames: ["key"] as const,
      registers: [registry],
      collect() {
        for (const [key, value] of Object.entries(self.host.configValues())) this.set({ key }, value);
      },
    });
  }

  supports(): AppFaultKind[] {
    const store = this.host.store !== undefined;
    return APP_FAULT_KINDS.filter(
      (k) => store || !["cache-hit-ratio", "db-latency", "pool-shrink", "connection-leak"].includes(k),
    );
  }

  list(): FaultsList {
    return {
      service: this.host.service,
      supports: this.supports(),
      faults: [...this.running.values()].map((r) => r.fault),
      state: this.state(),
    };
  }

  state(): AppState {
    const store = this.host.store;
    return {
      missRatio: store?.knobs.missRatio ?? 0,
      dbExtraMs: store?.knobs.dbExtraMs ?? 0,
      poolSize: store?.pool.size ?? null,
      leakedConnections: store?.leakedConnections ?? 0,
      retainedBytes: this.retainedBytes(),
      config: this.host.configValues() as Record<string, number>,
    };
  }

  /** 201 when applied now, 200 when this id already carries exactly this fault. */
  apply(id: string, req: ApplyRequest): { created: boolean; fault: ActiveAppFault } {
    const existing = this.running.get(id);
    if (existing) {
      const same =
        existing.fault.kind === req.kind &&
        existing.fault.owner === req.owner &&
        JSON.stringify(existing.fault.params) === JSON.stringify(req.params);
      if (same) return { created: false, fault: existing.fault };
      throw new AppFaultError(409, `fault ${id} is already applied with another kind, owner or params`);
    }
    if (!this.supports().includes(req.kind))
      throw new AppFaultError(
        422,
        `${this.host.service} does not support ${req.kind} (it supports ${this.supports().join(", ")})`,
      );
    const clash = [...this.running.values()].find(
      (r) =>
        r.fault.kind === req.kind && (req.kind !== "config-drift" || r.fault.params.key === req.params.key),
    );
    if (clash)
      throw new AppFaultError(
        409,
        `${req.kind}${req.kind === "config-drift" ? ` of ${req.params.key}` : ""} is already applied as ${clash.fault.id} (owner ${clash.fault.owner})`,
      );
    const { prior, stop } = this.start(req);
    const fault: ActiveAppFault = {
      id,
      kind: req.kind,
      owner: req.owner,
      params: req.params as ActiveAppFault["params"],
      appliedAt: new Date().toISOString(),
      prior,
    };
    this.running.set(id, { fault, stop });
    this.activeGauge.inc({ kind: req.kind });
    return { created: true, fault };
  }

  revert(id: string): ActiveAppFault {
    const r = this.running.get(id);
    if (!r) throw new AppFaultError(404, `no app fault ${id}`);
    r.stop();
    this.running.delete(id);
    this.activeGauge.dec({ kind: r.fault.kind });
    return r.fault;
  }

  private retainedBytes(): number {
    return this.retained.length * MIB;
  }

  private start(req: ApplyRequest): { prior: number | null; stop: () => void } {
    const store = this.host.store;
    switch (req.kind) {
      case "cache-hit-ratio": {
        const s = store as RiskStore;
        s.knobs.missRatio = req.params.missRatio;
        return {
          prior: null,
          stop: () => {
            s.knobs.missRatio = 0;
          },
        };
      }
      case "db-latency": {
        const s = store as RiskStore;
        s.knobs.dbExtraMs = req.params.addMs;
        s.knobs.dbJitterMs = req.params.jitterMs;
        return {
          prior: null,
          stop: () => {
            s.knobs.dbExtraMs = 0;
            s.knobs.dbJitterMs = 0;
          },
        };
      }
      case "pool-shrink": {
        const s = store as RiskStore;
        const prior = s.pool.size;
        if (req.params.size >= prior)
          throw new AppFaultError(
            422,
            `pool-shrink size ${req.params.size} is not below the pool's size ${prior}`,
          );
        s.pool.resize(req.params.size);
        return { prior, stop: () => s.pool.resize(prior) };
      }
      case "memory-leak": {
        const { mibPerSecond, capMib } = req.params;
        let owed = 0; // fractional MiB carried between ticks, so 0.5 MiB/s leaks too
        const timer = setInterval(() => {
          owed += (mibPerSecond * TICK_MS) / 1000;
          while (owed >= 1 && this.retained.length < capMib) {
            this.retained.push(new Array<number>(DOUBLES_PER_MIB).fill(Math.random()));
            owed -= 1;
          }
        }, TICK_MS);
        timer.unref();
        return {
          prior: null,
          stop: () => {
            clearInterval(timer);
            this.retained = [];
          },
        };
      }
      case "connection-leak": {
        const s = store as RiskStore;
        const { perSecond, max } = req.params;
        let owed = 0;
        const timer = setInterval(() => {
          owed += (perSecond * TICK_MS) / 1000;
          while (owed >= 1 && s.leakedConnections < max) {
            owed -= 1;
            if (!s.leakOne()) break; // every connection is in use: leak the next free one
          }
        }, TICK_MS);
        timer.unref();
        return {
          prior: null,
          stop: () => {
            clearInterval(timer);
            s.releaseLeaked();
          },
        };
      }
      case "config-drift": {
        const { key, value } = req.params;
        const prior = this.host.configValues()[key];
        if (prior === undefined)
          throw new AppFaultError(
            422,
            `${this.host.service} has no config value ${key} (it has ${Object.keys(this.host.configValues()).join(", ")})`,
          );
        this.host.setConfigValue(key, value);
        return { prior, stop: () => this.host.setConfigValue(key, prior) };
      }
    }
  }
}
