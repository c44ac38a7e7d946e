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
import type { SubgraphEvents } from '@bff/events';
import type { SharedStore } from '@bff/shared-state';
import type { Express } from 'express';
import { parse } from 'graphql';

import { ProductCache } from './cache/ProductCache.js';
import type { ErpSubgraphConfig } from './config.js';
import { createContext } from './context.js';
import type { ErpClientFactory, ErpContext } from './context.js';
import { HttpErpClient } from './erp/ErpClient.js';
import { applyOrderStatusChanged, orderEventKey } from './events/orderEvents.js';
import { applyProductChanged, productEventKey } from './events/productEvents.js';
import { resolvers } from './resolvers/index.js';
import { completeOrder, orderCompletionKind } from './saga/completeOrder.js';
import { crmActivityKind, deliverCrmActivity } from './saga/crmActivity.js';
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
  /** Its own HTTP routes besides GraphQL (webhooks, admin). */
  routes?: (app: Express) => void;
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
    ...(deps.routes ? { routes: deps.routes } : {}),
  });
}

/** What placeOrder and the ERP's events need besides the ERP. */
export interface OrderSagaUpstreams {
  inventory: UpstreamClient;
  crm: UpstreamClient;
  /** Idempotency keys, dead letters, webhook dedup and the product cache (Redis across replicas). */
  store: SharedStore;
  /** The admin token, the product cache, the ERP's webhooks and background retries (loadConfig's answer). */
  config: Pick<
    ErpSubgraphConfig,
    | 'ADMIN_TOKEN'
    | 'REFERENCE_CACHE'
    | 'PRODUCT_CACHE_TTL_SECONDS'
    | 'WEBHOOK_SECRET'
    | 'WEBHOOK_TOLERANCE_SECONDS'
    | 'JOB_MAX_ATTEMPTS'
    | 'JOB_RETRY_BASE_MS'
    | 'JOB_LEASE_SECONDS'
  >;
}

/** The subgraph over its real upstream clients (main.ts, integration tests, benchmarks). */
export async function createServerOver(
  upstream: UpstreamClient,
  deps: Omit<ErpSubgraphDeps, 'erpFor' | 'orders'>,
  saga?: OrderSagaUpstreams,
): Promise<SubgraphServer<ErpContext>> {
  const erpFor: ErpClientFactory = (call) => new HttpErpClient(upstream.rest, call);
  if (!saga) return createServer({ ...deps, erpFor });
  const { config, store } = saga;
  // The jobs' and webhooks' series go on the server's /metrics.
  const metrics = deps.metrics ?? createServiceMetrics('subgraph-erp');
  const products =
    config.REFERENCE_CACHE === 'on'
      ? new ProductCache(store, deps.logger, config.PRODUCT_CACHE_TTL_SECONDS)
      : undefined;
  // A crashed leader's claim frees the key after 30 s; results are kept a day.
  const idempotency = new IdempotencyStore<PlaceOrderResult>(store, 'place-order', {
    claimTtlMs: 30_000,
    resultTtlSeconds: 86_400,
  });
  // Everything done off the request path, each kind replayable from the dead letters.
  const events: SubgraphEvents = subgraphEvents({
    store,
    config,
    logger: deps.logger,
    registry: metrics.registry,
    handlers: {
      [crmActivityKind]: deliverCrmActivity(saga.crm.rest),
      [orderCompletionKind]: completeOrder({
        erp: upstream.rest,
        inventory: saga.inventory.rest,
        idempotency,
        enqueue: (job) => events.jobs.enqueue(job),
      }),
      [webhookJobKind('order.status_changed')]: applyOrderStatusChanged(saga.inventory.rest),
      ...(products
        ? { [webhookJobKind('product.changed')]: applyProductChanged(products, erpFor) }
        : {}),
    },
  });
  const server = await createServer({
    ...deps,
    metrics,
    erpFor,
    ...(products ? { products } : {}),
    orders: {
      erpRest: upstream.rest,
      saga: {
        inventory: saga.inventory.rest,
        idempotency,
        jobs: events.jobs,
        // Below the gateway's subgraph timeout, so a waiting caller gets an answer.
        followerWaitMs: 8_000,
        followerPollMs: 25,
      },
    },
    routes: (app) =>
      events.routes(app, {
        path: '/webhooks/erp',
        // Without the product cache there is nothing a product event could make fresher.
        types: {
          'order.status_changed': orderEventKey,
          ...(products ? { 'product.changed': productEventKey } : {}),
        },
      }),
  });
  return {
    ...server,
    async stop() {
      await server.stop();
      // After the HTTP server drained: no new job can be queued. Waiting retries become dead letters.
      await events.jobs.close();
    },
  };
}
