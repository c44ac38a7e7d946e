import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  composeSupergraph,
  readSupergraphConfig,
  withoutSecurityPurpose,
} from '@bff/gateway/supergraph';
import {
  SandboxAdmin,
  deleteRedisKeys,
  getAvailablePort,
  repoRoot,
  spawnNode,
  waitForOk,
} from '@bff/testing';
import type { Spawned } from '@bff/testing';

import type { GatewaySpec } from '../gateways.js';
import { createBenchIdentity } from './benchIdentity.js';

const upstreams = ['erp', 'crm', 'inventory'] as const;
export type Upstream = (typeof upstreams)[number];

export interface RunningGateway {
  spec: GatewaySpec;
  url: string;
  pid: number;
}

export interface BenchStack {
  gateways: RunningGateway[];
  sandboxes: Record<Upstream, SandboxAdmin>;
  /** Headers every request to a gateway carries (the bearer token). */
  clientHeaders: Record<string, string>;
  /** Fetches each subgraph has received so far, in total. */
  subgraphFetches(): Promise<number>;
  /** Upstream API calls the sandboxes have served since the last reset (tokens excluded). */
  upstreamCalls(): Promise<number>;
  stop(): Promise<void>;
}

const tsx = ['--conditions=source', '--import', 'tsx'];

/**
 * Every process of a benchmark run on loopback, ports chosen by the OS:
 * the sandboxes (one process, with the configured latency), the three
 * subgraphs (one process each, behind fetch counters) and every gateway
 * under test (one process each) serving the same composed supergraph.
 */
export async function startBenchStack(
  specs: GatewaySpec[],
  latencyMs: number,
  redisUrl = '',
): Promise<BenchStack> {
  const processes: Spawned[] = [];
  const tempDir = mkdtempSync(join(tmpdir(), 'bench-supergraph-'));
  // The run's own keys in a Redis others may use, removed at the end.
  const redisPrefix = `bench:${randomUUID()}:`;
  const sharedStateEnv: Record<string, string> = redisUrl
    ? { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: redisPrefix }
    : {};
  const stop = async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    rmSync(tempDir, { recursive: true, force: true });
    if (redisUrl) await deleteRedisKeys(redisUrl, redisPrefix).catch(() => 0);
  };
  try {
    const identity = await createBenchIdentity(tempDir);
    const port = async () => String(await getAvailablePort());
    const sandboxPorts = { erp: await port(), crm: await port(), inventory: await port() };
    processes.push(
      spawnNode(
        [...tsx, 'bench/processes/sandboxes.ts'],
        {
          SANDBOX_LATENCY_MS: String(latencyMs),
          ERP_SANDBOX_PORT: sandboxPorts.erp,
          CRM_SANDBOX_PORT: sandboxPorts.crm,
          INVENTORY_SANDBOX_PORT: sandboxPorts.inventory,
        },
        { quiet: true },
      ),
    );
    for (const name of upstreams)
      await waitForOk(`http://127.0.0.1:${sandboxPorts[name]}/health`, 60_000);

    const subgraphPorts = { erp: await port(), crm: await port(), inventory: await port() };
    for (const name of upstreams) {
      processes.push(
        spawnNode(
          [...tsx, 'bench/processes/countingSubgraph.ts', name],
          {
            NODE_ENV: 'production',
            LOG_LEVEL: 'info',
            PORT: subgraphPorts[name],
            UPSTREAM_BASE_URL: `http://127.0.0.1:${sandboxPorts[name]}`,
            UPSTREAM_CLIENT_ID: `${name}-subgraph`,
            UPSTREAM_CLIENT_SECRET: `${name}-subgraph-dev-secret`,
            // The ERP subgraph's placeOrder upstreams, required in production.
            INVENTORY_BASE_URL: `http://127.0.0.1:${sandboxPorts.inventory}`,
            INVENTORY_CLIENT_ID: 'inventory-subgraph',
            INVENTORY_CLIENT_SECRET: 'inventory-subgraph-dev-secret',
            CRM_BASE_URL: `http://127.0.0.1:${sandboxPorts.crm}`,
            CRM_CLIENT_ID: 'crm-subgraph',
            CRM_CLIENT_SECRET: 'crm-subgraph-dev-secret',
            // The ERP and inventory subgraphs' check of their upstream's webhooks: required in production.
            WEBHOOK_SECRET: 'bench-webhook-secret-0123456789abcdefgh',
            // Stock, warehouses (inventory subgraph) and products (ERP
            // subgraph) from their upstreams on every query, as in the
            // runs in docs/BENCHMARKS.md: the benchmark compares gateways over
            // the same upstream work, and a warm cache would hide its floor.
            REFERENCE_CACHE: 'off',
            ...identity.subgraphEnv,
          },
          { quiet: true },
        ),
      );
    }
    for (const name of upstreams)
      await waitForOk(`http://127.0.0.1:${subgraphPorts[name]}/ready`, 60_000);

    const supergraphPath = join(tempDir, 'supergraph.graphql');
    const composed = composeSupergraph(readSupergraphConfig(join(repoRoot, 'supergraph.yaml')), {
      erp: `http://127.0.0.1:${subgraphPorts.erp}/graphql`,
      crm: `http://127.0.0.1:${subgraphPorts.crm}/graphql`,
      inventory: `http://127.0.0.1:${subgraphPorts.inventory}/graphql`,
    });
    writeFileSync(supergraphPath, composed.supergraphSdl);
    // The others refuse links `for: SECURITY` (they do not enforce them): the
    // same supergraph without that purpose, as a team running them would.
    const unenforcedSupergraphPath = join(tempDir, 'supergraph-unenforced.graphql');
    writeFileSync(unenforcedSupergraphPath, withoutSecurityPurpose(composed.supergraphSdl));

    const gateways: RunningGateway[] = [];
    for (const spec of specs) {
      const gatewayPort = await port();
      // Gateways run as deployed: plain Node, no TypeScript loader.
      const identityEnv: Record<string, string> = spec.enforcesAuthorization
        ? { SUPERGRAPH_PATH: supergraphPath, ...identity.oursEnv }
        : {
            SUPERGRAPH_PATH: unenforcedSupergraphPath,
            SUBGRAPH_IDENTITY: identity.forwardedIdentity,
          };
      const gateway = spawnNode(
        [...(spec.nodeArgs ?? []), spec.entry],
        {
          NODE_ENV: 'production',
          PORT: gatewayPort,
          ...identityEnv,
          ...(spec.sharedState ? sharedStateEnv : {}),
          ...spec.env,
        },
        { quiet: true },
      );
      processes.push(gateway);
      gateways.push({
        spec,
        url: `http://127.0.0.1:${gatewayPort}/graphql`,
        pid: gateway.child.pid ?? 0,
      });
    }
    await Promise.all(gateways.map((g) => waitForGraphQL(g.url, identity.clientHeaders, 60_000)));

    const sandboxes = {
      erp: new SandboxAdmin(`http://127.0.0.1:${sandboxPorts.erp}`),
      crm: new SandboxAdmin(`http://127.0.0.1:${sandboxPorts.crm}`),
      inventory: new SandboxAdmin(`http://127.0.0.1:${sandboxPorts.inventory}`),
    };
    return {
      gateways,
      sandboxes,
      clientHeaders: identity.clientHeaders,
      async subgraphFetches() {
        const counts = await Promise.all(
          upstreams.map(async (name) => {
            const response = await fetch(`http://127.0.0.1:${subgraphPorts[name]}/__bench/fetches`);
            return ((await response.json()) as { fetches: number }).fetches;
          }),
        );
        return counts.reduce((a, b) => a + b, 0);
      },
      async upstreamCalls() {
        const counts = await Promise.all(upstreams.map((name) => sandboxes[name].counters()));
        return counts.reduce(
          (sum, { total, routes }) => sum + total - (routes['POST /oauth/token'] ?? 0),
          0,
        );
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Any GraphQL server: ready when it answers `{ __typename }`. */
async function waitForGraphQL(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{"query":"{ __typename }"}',
      });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}
