// Test helper, not a test: the ERP subgraph in process over a fake ERP.
import { createSubgraphTestServer } from '@bff/testing';

import { createContext } from '../src/context.js';
import type { ErpContext } from '../src/context.js';
import type { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createServer } from '../src/server.js';

export type { OperationResult } from '@bff/testing';

export function createTestServer() {
  return createSubgraphTestServer<FakeErpClient, ErpContext>({
    createServer: ({ logger, clientFor, identity }) =>
      createServer({ logger, identity, erpFor: clientFor }),
    createContext,
  });
}
