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
import type { ErpClientFactory, ErpContext } from './context.js';
import { HttpErpClient } from './erp/ErpClient.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export interface ErpSubgraphDeps {
  logger: Logger;
  /** Verifies the identity the gateway forwards. */
  identity: InternalIdentityVerifier;
  /** The ERP for one request: HTTP in production, a fake in unit tests. */
  erpFor: ErpClientFactory;
  readiness?: Record<string, ReadinessCheck>;
  exposeInternalErrors?: boolean;
  /** Its /metrics registry, shared with the upstream client's observer. @default its own */
  metrics?: ServiceMetrics;
  /** Server spans, parents of the upstream client's spans. @default off */
  tracing?: Tracing;
}

/** Builds the ERP subgraph without listening, so tests can run operations in process. */
export function createServer(deps: ErpSubgraphDeps): Promise<SubgraphServer<ErpContext>> {
  return createSubgraphServer<ErpContext>({
    typeDefs,
    resolvers,
    logger: deps.logger,
    identity: deps.identity,
    context: (scope) => createContext(scope, deps.erpFor),
    readiness: deps.readiness ?? {},
    exposeInternalErrors: deps.exposeInternalErrors ?? false,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  });
}

/** The subgraph over its real upstream client (main.ts, integration tests, benchmarks). */
export function createServerOver(
  upstream: UpstreamClient,
  deps: Omit<ErpSubgraphDeps, 'erpFor'>,
): Promise<SubgraphServer<ErpContext>> {
  return createServer({ ...deps, erpFor: (call) => new HttpErpClient(upstream.rest, call) });
}
