import { callContextOf } from '@bff/core';
import type { CallContext, Consumer, Logger, RequestScope } from '@bff/core';

import type { CrmClient } from './crm/CrmClient.js';
import { createLoaders } from './loaders/createLoaders.js';
import type { Loaders } from './loaders/createLoaders.js';

export interface CrmContext {
  requestId: string;
  logger: Logger;
  /** The caller the gateway verified; enforceAccess checks protected fields against it. */
  consumer: Consumer;
  crm: CrmClient;
  loaders: Loaders;
}

/** Makes the CRM client for one request: HTTP in production, a fake in unit tests. */
export type CrmClientFactory = (call: CallContext) => CrmClient;

export function createContext(scope: RequestScope, crmFor: CrmClientFactory): CrmContext {
  const crm = crmFor(callContextOf(scope));
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    consumer: scope.consumer,
    crm,
    loaders: createLoaders(crm),
  };
}
