import { z } from "zod";

/**
 * The shape of the sandbox: who calls whom, on which ports. The services and the launcher
 * (src/sandbox) both read it, so a port or a route is defined once.
 */
export const SERVICE_NAMES = ["gateway", "orders", "payments", "risk"] as const;
export const serviceNameSchema = z.enum(SERVICE_NAMES);
export type ServiceName = z.infer<typeof serviceNameSchema>;

/** Services reached through a Toxiproxy proxy of the same name (everyone but the entry point). */
export const PROXIED_SERVICES = ["orders", "payments", "risk"] as const;
export type ProxiedService = (typeof PROXIED_SERVICES)[number];

export const DEFAULT_SERVICE_PORTS: Readonly<Record<ServiceName, number>> = {
  gateway: 18080,
  orders: 18081,
  payments: 18082,
  risk: 18083,
};

export const DEFAULT_PROXY_PORTS: Readonly<Record<ProxiedService, number>> = {
  orders: 28081,
  payments: 28082,
  risk: 28083,
};

/**
 * Each service's app-fault control endpoint listens on its port plus this (19780-19783 by
 * default), so GAMEDAY_SANDBOX_PORT_OFFSET moves it with the service. 1700 keeps it clear of the
 * other sandboxes' ports (compose +1000, kubernetes +2500) and below the ephemeral port range.
 */
export const CONTROL_PORT_DELTA = 1700;

export const DEFAULT_TOXIPROXY_PORT = 8474;
export const DEFAULT_PROMETHEUS_PORT = 19090;

/** The one outbound call each service makes (risk is the leaf). */
export const CALLS: Readonly<Record<ServiceName, { dependency: ProxiedService; path: string } | undefined>> =
  {
    gateway: { dependency: "orders", path: "/orders" },
    orders: { dependency: "payments", path: "/charge" },
    payments: { dependency: "risk", path: "/score" },
    risk: undefined,
  };

/** The inbound route each service serves. */
export const ROUTES: Readonly<Record<ServiceName, string>> = {
  gateway: "/checkout",
  orders: "/orders",
  payments: "/charge",
  risk: "/score",
};
