// Test helper, not a test: the inventory subgraph in process over a fake inventory system.
import { createSubgraphTestServer } from '@bff/testing';

import { createContext } from '../src/context.js';
import type { InventoryContext } from '../src/context.js';
import type { FakeInventoryClient } from '../src/inventory/FakeInventoryClient.js';
import { createServer } from '../src/server.js';

export type { OperationResult } from '@bff/testing';

export function createTestServer() {
  return createSubgraphTestServer<FakeInventoryClient, InventoryContext>({
    createServer: ({ logger, clientFor, identity }) =>
      createServer({ logger, identity, inventoryFor: clientFor }),
    createContext,
  });
}
