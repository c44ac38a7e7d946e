import { createHttpApp, finishHttpApp } from '@bff/core';
import type { Logger } from '@bff/core';
import type { Express } from 'express';

import type { MobileConfig } from './config.js';
import { GatewayClient } from './gateway/GatewayClient.js';
import { customerCardHandler } from './screens/customerCard.js';
import { orderDetailHandler } from './screens/orderDetail.js';
import { orderFeedHandler } from './screens/orderFeed.js';
import { productCardHandler } from './screens/productCard.js';
import { documentNamed, readTrustedDocuments } from './trustedDocuments.js';

export interface MobileServer {
  readonly handler: Express;
  stop(): Promise<void>;
}

/** Builds bff-mobile: its screens over the gateway. Listening is main.ts's job. */
export function createServer(config: MobileConfig, deps: { logger: Logger }): MobileServer {
  const documents = readTrustedDocuments();
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
