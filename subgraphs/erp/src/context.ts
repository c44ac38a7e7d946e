import { callContextOf } from '@bff/core';
import type { CallContext, Consumer, Logger, RequestScope, RestClient } from '@bff/core';

import type { ProductCache } from './cache/ProductCache.js';
import type { ErpClient } from './erp/ErpClient.js';
import { createLoaders } from './loaders/createLoaders.js';
import type { OrderSagaDeps } from './saga/placeOrder.js';
import type { Loaders } from './loaders/createLoaders.js';

export interface ErpContext {
  requestId: string;
  logger: Logger;
  /** The caller the gateway verified; enforceAccess checks protected fields against it. */
  consumer: Consumer;
  erp: ErpClient;
  loaders: Loaders;
  /** This request's call context (request id, logger, cancellation), for the saga's upstream calls. */
  call: CallContext;
  /** The writes: undefined where the subgraph runs without its upstreams (unit tests). */
  orders?: { saga: OrderSagaDeps; erpRest: RestClient } | undefined;
}

/** Makes the ERP client for one request: HTTP in production, a fake in unit tests. */
export type ErpClientFactory = (call: CallContext) => ErpClient;

export function createContext(
  scope: RequestScope,
  erpFor: ErpClientFactory,
  orders?: ErpContext['orders'],
  products?: ProductCache,
): ErpContext {
  const call = callContextOf(scope);
  const erp = erpFor(call);
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    consumer: scope.consumer,
    erp,
    loaders: createLoaders(erp, products),
    call,
    orders,
  };
}
