import { readFileSync } from 'node:fs';

import { createSubgraphServer } from '@bff/core';
import type {
  InternalIdentityVerifier,
  Logger,
  ReadinessCheck,
  ServiceMetrics,
  SubgraphServer,
  Tracing,
  UpstreamClient,
} from '@bff/core';
import { parse } from 'graphql';

import { createContext } from './context.js';
import type { InventoryClientFactory, InventoryContext } from './context.js';
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
}

/** Builds the inventory subgraph without listening, so tests can run operations in process. */
export function createServer(
  deps: InventorySubgraphDeps,
): Promise<SubgraphServer<InventoryContext>> {
  return createSubgraphServer<InventoryContext>({
    typeDefs,
    resolvers,
    logger: deps.logger,
    identity: deps.identity,
    context: (scope) => createContext(scope, deps.inventoryFor),
    readiness: deps.readiness ?? {},
    exposeInternalErrors: deps.exposeInternalErrors ?? false,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  });
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
