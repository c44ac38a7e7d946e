import { callContextOf } from '@bff/core';
import type { CallContext, Consumer, Logger, RequestScope } from '@bff/core';

import type { ErpClient } from './erp/ErpClient.js';
import { createLoaders } from './loaders/createLoaders.js';
import type { Loaders } from './loaders/createLoaders.js';

export interface ErpContext {
  requestId: string;
  logger: Logger;
  /** The caller the gateway verified; enforceAccess checks protected fields against it. */
  consumer: Consumer;
  erp: ErpClient;
  loaders: Loaders;
}

/** Makes the ERP client for one request: HTTP in production, a fake in unit tests. */
export type ErpClientFactory = (call: CallContext) => ErpClient;

export function createContext(scope: RequestScope, erpFor: ErpClientFactory): ErpContext {
  const erp = erpFor(callContextOf(scope));
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    consumer: scope.consumer,
    erp,
    loaders: createLoaders(erp),
  };
}
