import { fileURLToPath } from 'node:url';

import { gatewayNodeFlags } from '@bff/gateway/runtimeFlags';
import { z } from 'zod';

/** Repository root, from scripts/lib/. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

/** Ports of the whole stack; each overridable by environment (DESIGN.md "Ports"). */
export const stackPortsSchema = z
  .object({
    GATEWAY_PORT: port(4000),
    BFF_WEB_PORT: port(4001),
    BFF_MOBILE_PORT: port(4002),
    ERP_SUBGRAPH_PORT: port(4101),
    CRM_SUBGRAPH_PORT: port(4102),
    INVENTORY_SUBGRAPH_PORT: port(4103),
    ERP_SANDBOX_PORT: port(4201),
    CRM_SANDBOX_PORT: port(4202),
    INVENTORY_SANDBOX_PORT: port(4203),
  })
  .refine((ports) => new Set(Object.values(ports)).size === Object.values(ports).length, {
    message: 'every service needs its own port',
  });

export type StackPorts = z.output<typeof stackPortsSchema>;

export interface ServiceSpec {
  name: string;
  /** Entry point, relative to the repository root. */
  entry: string;
  port: number;
  env: Record<string, string>;
  /** Node flags before the entry point. */
  nodeArgs?: readonly string[];
  /** URL to show the user. */
  url: string;
}

/**
 * What `npm start` runs: every service as its own process, wired to the
 * others by URL, as they would be deployed.
 */
export function stackPlan(ports: StackPorts, host = '127.0.0.1'): ServiceSpec[] {
  const at = (p: number) => `http://${host}:${p}`;
  // Each system's events go to the subgraph that caches its data, as a real subscription would.
  const sandbox = (name: string, p: number, subscriber: number): ServiceSpec => ({
    name: `sandbox-${name}`,
    entry: `sandbox/${name}/src/main.ts`,
    port: p,
    env: { SANDBOX_WEBHOOK_URLS: `${at(subscriber)}/webhooks/${name}` },
    url: at(p),
  });
  const subgraph = (name: string, p: number, upstream: number): ServiceSpec => ({
    name: `subgraph-${name}`,
    entry: `subgraphs/${name}/src/main.ts`,
    port: p,
    env: { UPSTREAM_BASE_URL: at(upstream) },
    url: `${at(p)}/graphql`,
  });
  return [
    sandbox('erp', ports.ERP_SANDBOX_PORT, ports.ERP_SUBGRAPH_PORT),
    // The CRM sends no events: its subgraph caches nothing.
    { ...sandbox('crm', ports.CRM_SANDBOX_PORT, ports.CRM_SUBGRAPH_PORT), env: {} },
    sandbox('inventory', ports.INVENTORY_SANDBOX_PORT, ports.INVENTORY_SUBGRAPH_PORT),
    {
      ...subgraph('erp', ports.ERP_SUBGRAPH_PORT, ports.ERP_SANDBOX_PORT),
      // placeOrder also reserves stock and notes the order in the CRM.
      env: {
        UPSTREAM_BASE_URL: at(ports.ERP_SANDBOX_PORT),
        INVENTORY_BASE_URL: at(ports.INVENTORY_SANDBOX_PORT),
        CRM_BASE_URL: at(ports.CRM_SANDBOX_PORT),
      },
    },
    subgraph('crm', ports.CRM_SUBGRAPH_PORT, ports.CRM_SANDBOX_PORT),
    subgraph('inventory', ports.INVENTORY_SUBGRAPH_PORT, ports.INVENTORY_SANDBOX_PORT),
    {
      name: 'gateway',
      entry: 'gateway/src/main.ts',
      nodeArgs: gatewayNodeFlags,
      port: ports.GATEWAY_PORT,
      env: {
        SUBGRAPH_ERP_URL: `${at(ports.ERP_SUBGRAPH_PORT)}/graphql`,
        SUBGRAPH_CRM_URL: `${at(ports.CRM_SUBGRAPH_PORT)}/graphql`,
        SUBGRAPH_INVENTORY_URL: `${at(ports.INVENTORY_SUBGRAPH_PORT)}/graphql`,
      },
      url: `${at(ports.GATEWAY_PORT)}/graphql`,
    },
    {
      name: 'bff-web',
      entry: 'bff-web/src/main.ts',
      port: ports.BFF_WEB_PORT,
      env: {
        GATEWAY_URL: `${at(ports.GATEWAY_PORT)}/graphql`,
        // Served over plain http on this machine: development keeps the
        // session cookie without Secure (a browser would drop it otherwise)
        // and the explorer on, whatever NODE_ENV the rest runs with.
        NODE_ENV: 'development',
      },
      url: at(ports.BFF_WEB_PORT),
    },
    {
      name: 'bff-mobile',
      entry: 'bff-mobile/src/main.ts',
      port: ports.BFF_MOBILE_PORT,
      env: { GATEWAY_URL: `${at(ports.GATEWAY_PORT)}/graphql` },
      url: `${at(ports.BFF_MOBILE_PORT)}/m/v1`,
    },
  ];
}
