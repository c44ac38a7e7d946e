import {
  accessLogFields,
  documentNamed,
  gatewayClientOf,
  readTrustedDocuments,
} from '@bff/bff-kit';
import { createHttpApp, createTracing, finishHttpApp } from '@bff/core';
import type { Logger } from '@bff/core';
import type { Express } from 'express';

import type { MobileConfig } from './config.js';
import { deprecatedRoute } from './deprecatedVersion.js';
import { customerCardHandler } from './screens/customerCard.js';
import { orderDetailHandler } from './screens/orderDetail.js';
import { orderFeedHandler } from './screens/orderFeed.js';
import { productCardHandler } from './screens/productCard.js';
import { productCardV0Of } from './screens/productCardV0.js';
import { operationsDir } from './operationsDir.js';
import { versionRegistry } from './versions.js';

export interface MobileServer {
  readonly handler: Express;
  stop(): Promise<void>;
}

export interface MobileDeps {
  logger: Logger;
  /** What time it is, for the sunset of deprecated versions; a test moves it. */
  now?: () => Date;
}

/** Builds bff-mobile: its screens over the gateway. Listening is main.ts's job. */
export function createServer(config: MobileConfig, deps: MobileDeps): MobileServer {
  const now = deps.now ?? (() => new Date());
  const versions = versionRegistry(config);
  const documents = readTrustedDocuments(operationsDir);
  const tracing = createTracing({
    service: 'bff-mobile',
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    logger: deps.logger,
  });
  const gateway = gatewayClientOf(config, tracing);
  const app = createHttpApp({
    logger: deps.logger,
    readiness: { gateway: () => gateway.checkHealth() },
    tracing,
  });
  app.use(accessLogFields(config));
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
  // App releases from before v1 still ask for v0's card; they get it, told to
  // move on, until the sunset.
  app.get(
    '/m/v0/products/:sku',
    deprecatedRoute(versions.deprecated.v0, {
      successorOf: (req) =>
        `/m/${versions.deprecated.v0.successor}/products/${encodeURIComponent(String(req.params.sku))}`,
      now,
    }),
    productCardHandler(gateway, documentNamed(documents, 'ProductCard'), productCardV0Of),
  );
  finishHttpApp(app);
  return {
    handler: app,
    async stop() {
      await gateway.close();
      await tracing.shutdown();
    },
  };
}
