import { documentNamed, GatewayClient, readTrustedDocuments } from '@bff/bff-kit';
import { createHttpApp, finishHttpApp } from '@bff/core';
import type { Logger } from '@bff/core';
import type { Express } from 'express';

import type { MobileConfig } from './config.js';
import { customerCardHandler } from './screens/customerCard.js';
import { orderDetailHandler } from './screens/orderDetail.js';
import { orderFeedHandler } from './screens/orderFeed.js';
import { productCardHandler } from './screens/productCard.js';
import { operationsDir } from './operationsDir.js';

export interface MobileServer {
  readonly handler: Express;
  stop(): Promise<void>;
}

/** Builds bff-mobile: its screens over the gateway. Listening is main.ts's job. */
export function createServer(config: MobileConfig, deps: { logger: Logger }): MobileServer {
  const documents = readTrustedDocuments(operationsDir);
  const gateway = new GatewayClient({
    url: config.GATEWAY_URL,
    clientName: config.CLIENT_NAME,
    clientVersion: config.CLIENT_VERSION,
    timeoutMs: config.GATEWAY_TIMEOUT_MS,
    maxConnections: config.GATEWAY_MAX_CONNECTIONS,
  });
  const app = createHttpApp({
    logger: deps.logger,
    readiness: { gateway: () => gateway.checkHealth() },
  });
  // The app signs in with its OIDC provider and sends the bearer token: the
  // gateway verifies it, so it is passed on as it came.
  app.use((req, _res, next) => {
    req.endUserAuthorization = req.headers.authorization;
    next();
  });
  app.get(
    '/m/v1/products/:sku',
    productCardHandler(gateway, documentNamed(documents, 'ProductCard')),
  );
  app.get('/m/v1/orders', orderFeedHandler(gateway, documentNamed(documents, 'OrderFeed')));
  app.get('/m/v1/orders/:id', orderDetailHandler(gateway, documentNamed(documents, 'OrderDetail')));
  app.get(
    '/m/v1/customers/:id',
    customerCardHandler(gateway, documentNamed(documents, 'CustomerCard')),
  );
  finishHttpApp(app);
  return { handler: app, stop: () => gateway.close() };
}
