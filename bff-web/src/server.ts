import {
  accessLogFields,
  documentNamed,
  gatewayClientOf,
  readTrustedDocuments,
} from '@bff/bff-kit';
import { createHttpApp, createTracing, finishHttpApp } from '@bff/core';
import type { Logger } from '@bff/core';
import { createSharedStore } from '@bff/shared-state';
import type { Express } from 'express';

import type { WebConfig } from './config.js';
import { explorerHandler } from './graphql/explorer.js';
import { graphqlRelay } from './graphql/graphqlRelay.js';
import { operationsDir } from './operationsDir.js';
import { customerOverviewHandler } from './screens/customerOverview.js';
import { orderPageHandler } from './screens/orderPage.js';
import { productSearchHandler } from './screens/productSearch.js';
import { endUserFromSession, sessionMiddleware } from './session/sessionMiddleware.js';
import { sessionRoutes } from './session/sessionRoutes.js';

export interface WebServer {
  readonly handler: Express;
  stop(): Promise<void>;
}

/** Builds bff-web: sessions, the /graphql relay and explorer, and its screens. */
export function createServer(config: WebConfig, deps: { logger: Logger }): WebServer {
  const documents = readTrustedDocuments(operationsDir);
  const tracing = createTracing({
    service: 'bff-web',
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    logger: deps.logger,
  });
  const gateway = gatewayClientOf(config, tracing);
  const store = createSharedStore({
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    logger: deps.logger,
    timeoutMs: config.REDIS_TIMEOUT_MS,
  });
  const readiness: Record<string, () => Promise<void>> = { gateway: () => gateway.checkHealth() };
  if (config.REDIS_URL) {
    readiness.sessions = async () => {
      if (!(await store.ping())) throw new Error('Redis does not answer');
    };
  }
  const app = createHttpApp({ logger: deps.logger, readiness, tracing });
  // req.secure believes X-Forwarded-Proto only from a proxy we were told about.
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(accessLogFields(config));
  app.use(sessionMiddleware(config, store.namespace('session')));
  app.use(endUserFromSession());
  app.use(sessionRoutes(config, gateway, documentNamed(documents, 'SignIn')));
  app.post(
    '/graphql',
    ...graphqlRelay({
      gateway,
      webClientName: config.WEB_CLIENT_NAME,
      maxBodyBytes: config.GRAPHQL_MAX_BODY_BYTES,
    }),
  );
  if (config.EXPLORER)
    app.get(
      '/graphql',
      explorerHandler({ title: 'ERP · CRM · inventory graph', endpoint: '/graphql' }),
    );
  app.get(
    '/pages/customers/:id',
    customerOverviewHandler(gateway, documentNamed(documents, 'CustomerOverview')),
  );
  app.get('/pages/orders/:id', orderPageHandler(gateway, documentNamed(documents, 'OrderPage')));
  app.get(
    '/pages/products',
    productSearchHandler(gateway, documentNamed(documents, 'ProductSearch')),
  );
  finishHttpApp(app);
  return {
    handler: app,
    async stop() {
      await Promise.all([gateway.close(), store.close()]);
      await tracing.shutdown();
    },
  };
}
