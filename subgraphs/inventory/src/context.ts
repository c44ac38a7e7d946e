import { callContextOf } from '@bff/core';
import type { CallContext, Consumer, Logger, RequestScope } from '@bff/core';

import type { ReferenceCache } from './cache/ReferenceCache.js';
import type { InventoryClient } from './inventory/InventoryClient.js';
import { createLoaders } from './loaders/createLoaders.js';
import type { Loaders } from './loaders/createLoaders.js';

export interface InventoryContext {
  requestId: string;
  logger: Logger;
  /** The caller the gateway verified; enforceAccess checks protected fields against it. */
  consumer: Consumer;
  inventory: InventoryClient;
  loaders: Loaders;
}

/** Makes the inventory client for one request: HTTP in production, a fake in unit tests. */
export type InventoryClientFactory = (call: CallContext) => InventoryClient;

export function createContext(
  scope: RequestScope,
  inventoryFor: InventoryClientFactory,
  cache?: ReferenceCache,
): InventoryContext {
  const inventory = inventoryFor(callContextOf(scope));
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    consumer: scope.consumer,
    inventory,
    loaders: createLoaders(inventory, cache),
  };
}
