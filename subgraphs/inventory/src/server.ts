import { readFileSync } from 'node:fs';

import { createServiceMetrics, createSubgraphServer } from '@bff/core';
import type {
  InternalIdentityVerifier,
  Logger,
  ReadinessCheck,
  ServiceMetrics,
  SubgraphServer,
  Tracing,
  UpstreamClient,
} from '@bff/core';
import { subgraphEvents, webhookJobKind } from '@bff/events';
import { createSharedStore } from '@bff/shared-state';
import { parse } from 'graphql';

import { ReferenceCache } from './cache/ReferenceCache.js';
import { eventsEnvSchema } from './config.js';
import type { InventoryEventsConfig } from './config.js';
import { createContext } from './context.js';
import type { InventoryClientFactory, InventoryContext } from './context.js';
import { applyStockChanged, stockEventKey } from './events/stockEvents.js';
import { HttpInventoryClient } from './inventory/InventoryClient.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export interface InventorySubgraphDeps {
  logger: Logger;
  /** Verifies the identity the gateway forwards. */
  identity: InternalIdentityVerifier;
  /** The inventory system for one request: HTTP in production, a fake in unit tests. */
  inventoryFor: InventoryClientFactory;
  readiness?: Record<string, ReadinessCheck>;
  exposeInternalErrors?: boolean;
  /** Its /metrics registry, shared with the upstream client's observer. @default its own */
  metrics?: ServiceMetrics;
  /** Server spans, parents of the upstream client's spans. @default off */
  tracing?: Tracing;
  /**
   * Caches, shared store, webhooks and admin token (loadConfig's answer; the
   * variables of other subgraphs are ignored).
   * @default the development defaults: memory store, the dev webhook secret, no admin token
   */
  config?: Partial<InventoryEventsConfig>;
}

/** Builds the inventory subgraph without listening, so tests can run operations in process. */
export async function createServer(
  deps: InventorySubgraphDeps,
): Promise<SubgraphServer<InventoryContext>> {
  const config: InventoryEventsConfig = { ...eventsEnvSchema.parse({}), ...deps.config };
  const store = createSharedStore({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL } : {}),
    keyPrefix: config.REDIS_KEY_PREFIX,
    timeoutMs: config.REDIS_TIMEOUT_MS,
    logger: deps.logger,
  });
  const cache = new ReferenceCache({
    store,
    logger: deps.logger,
    warehousesTtlSeconds: config.WAREHOUSES_CACHE_TTL_SECONDS,
    stockTtlSeconds: config.STOCK_CACHE_TTL_SECONDS,
  });
  // The jobs' and webhooks' series go on the server's /metrics.
  const metrics = deps.metrics ?? createServiceMetrics('subgraph-inventory');
  const events = subgraphEvents({
    store,
    config,
    logger: deps.logger,
    registry: metrics.registry,
    handlers: {
      [webhookJobKind('stock.changed')]: applyStockChanged(cache, deps.inventoryFor),
    },
  });
  const server = await createSubgraphServer<InventoryContext>({
    typeDefs,
    resolvers,
    logger: deps.logger,
    identity: deps.identity,
    context: (scope) =>
      createContext(scope, deps.inventoryFor, config.REFERENCE_CACHE === 'on' ? cache : undefined),
    readiness: deps.readiness ?? {},
    exposeInternalErrors: deps.exposeInternalErrors ?? false,
    metrics,
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
    routes: (app) =>
      events.routes(app, {
        path: '/webhooks/inventory',
        types: { 'stock.changed': stockEventKey },
      }),
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      // After the HTTP server drained: no webhook is accepted any more.
      await events.jobs.close();
      await store.close();
    },
  };
}

/** The subgraph over its real upstream client (main.ts, integration tests, benchmarks). */
export function createServerOver(
  upstream: UpstreamClient,
  deps: Omit<InventorySubgraphDeps, 'inventoryFor'>,
): Promise<SubgraphServer<InventoryContext>> {
  return createServer({
    ...deps,
    inventoryFor: (call) => new HttpInventoryClient(upstream.rest, call),
  });
}
