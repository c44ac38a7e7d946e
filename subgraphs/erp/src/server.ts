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
import { createDeadLetterStore } from '@bff/shared-state';
import type { SharedStore } from '@bff/shared-state';
import { parse } from 'graphql';

import { ProductCache } from './cache/ProductCache.js';
import { createContext } from './context.js';
import type { ErpClientFactory, ErpContext } from './context.js';
import { HttpErpClient } from './erp/ErpClient.js';
import { resolvers } from './resolvers/index.js';
import { withAdminRoutes } from './saga/adminRoutes.js';
import { CrmActivityOutbox } from './saga/CrmActivityOutbox.js';
import { IdempotencyStore } from './saga/IdempotencyStore.js';
import type { PlaceOrderResult } from './saga/placeOrder.js';

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
  /** placeOrder's upstream client and saga; without them the mutation is refused. */
  orders?: ErpContext['orders'];
  /** Products in the shared store; without it every product query asks the ERP. */
  products?: ProductCache;
}

/** Builds the ERP subgraph without listening, so tests can run operations in process. */
export function createServer(deps: ErpSubgraphDeps): Promise<SubgraphServer<ErpContext>> {
  return createSubgraphServer<ErpContext>({
    typeDefs,
    resolvers,
    logger: deps.logger,
    identity: deps.identity,
    context: (scope) => createContext(scope, deps.erpFor, deps.orders, deps.products),
    readiness: deps.readiness ?? {},
    exposeInternalErrors: deps.exposeInternalErrors ?? false,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.tracing ? { tracing: deps.tracing } : {}),
  });
}

/** What placeOrder needs besides the ERP: the other upstreams, shared state (also the product cache's), the admin token. */
export interface OrderSagaUpstreams {
  inventory: UpstreamClient;
  crm: UpstreamClient;
  /** Idempotency keys and dead letters (Redis across replicas). */
  store: SharedStore;
  /** Bearer token of /admin/*; every admin call is refused without one. */
  adminToken?: string | undefined;
  /** CRM activity attempts before a dead letter. @default 4, from 200 ms doubling */
  activityRetry?: { attempts: number; baseDelayMs: number };
  /** Products cached in `store` for this long (PRODUCT_CACHE_TTL_SECONDS); undefined, not cached (REFERENCE_CACHE=off). */
  productCacheTtlSeconds?: number | undefined;
}

/** The subgraph over its real upstream clients (main.ts, integration tests, benchmarks). */
export async function createServerOver(
  upstream: UpstreamClient,
  deps: Omit<ErpSubgraphDeps, 'erpFor' | 'orders'>,
  saga?: OrderSagaUpstreams,
): Promise<SubgraphServer<ErpContext>> {
  const erpFor: ErpClientFactory = (call) => new HttpErpClient(upstream.rest, call);
  if (!saga) return createServer({ ...deps, erpFor });
  const deadLetters = createDeadLetterStore(saga.store);
  const crmActivities = new CrmActivityOutbox(
    saga.crm.rest,
    deadLetters,
    deps.logger.child({ component: 'crm-activity' }),
    saga.activityRetry ?? { attempts: 4, baseDelayMs: 200 },
  );
  const server = await createServer({
    ...deps,
    erpFor,
    ...(saga.productCacheTtlSeconds === undefined
      ? {}
      : { products: new ProductCache(saga.store, deps.logger, saga.productCacheTtlSeconds) }),
    orders: {
      erpRest: upstream.rest,
      saga: {
        inventory: saga.inventory.rest,
        // A crashed leader's claim frees the key after 30 s; results are kept a day.
        idempotency: new IdempotencyStore<PlaceOrderResult>(saga.store, 'place-order', {
          claimTtlMs: 30_000,
          resultTtlSeconds: 86_400,
        }),
        crmActivities,
        // Below the gateway's subgraph timeout, so a waiting caller gets an answer.
        followerWaitMs: 8_000,
        followerPollMs: 25,
      },
    },
  });
  return {
    ...server,
    handler: withAdminRoutes(server.handler, {
      adminToken: saga.adminToken,
      deadLetters,
      crm: crmActivities,
    }),
    async stop() {
      await server.stop();
      await crmActivities.drain();
    },
  };
}
