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
import type { CrmClientFactory, CrmContext } from './context.js';
import { HttpCrmClient } from './crm/CrmClient.js';
import { resolvers } from './resolvers/index.js';

export const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));

export interface CrmSubgraphDeps {
  logger: Logger;
  /** Verifies the identity the gateway forwards. */
  identity: InternalIdentityVerifier;
  /** The CRM for one request: HTTP in production, a fake in unit tests. */
  crmFor: CrmClientFactory;
  readiness?: Record<string, ReadinessCheck>;
  exposeInternalErrors?: boolean;
  /** Its /metrics registry, shared with the upstream client's observer. @default its own */
  metrics?: ServiceMetrics;
  /** Server spans, parents of the upstream client's spans. @default off */
  tracing?: Tracing;
}

/** Builds the CRM subgraph without listening, so tests can run operations in process. */
export function createServer(deps: CrmSubgraphDeps): Promise<SubgraphServer<CrmContext>> {
  return createSubgraphServer<CrmContext>({
    typeDefs,
    resolvers,
    logger: deps.logger,
    identity: deps.identity,
    context: (scope) => createContext(scope, deps.crmFor),
    readiness: deps.readiness ?? {},
    exposeInternalErrors: deps.exposeInternalErrors ?? false,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  });
}

/** The subgraph over its real upstream client (main.ts, integration tests, benchmarks). */
export function createServerOver(
  upstream: UpstreamClient,
  deps: Omit<CrmSubgraphDeps, 'crmFor'>,
): Promise<SubgraphServer<CrmContext>> {
  return createServer({ ...deps, crmFor: (call) => new HttpCrmClient(upstream.rest, call) });
}
