// Test helper, not a test: the CRM subgraph in process over a fake CRM.
import { createSubgraphTestServer } from '@bff/testing';

import { createContext } from '../src/context.js';
import type { CrmContext } from '../src/context.js';
import type { FakeCrmClient } from '../src/crm/FakeCrmClient.js';
import { createServer } from '../src/server.js';

export type { OperationResult } from '@bff/testing';

export function createTestServer() {
  return createSubgraphTestServer<FakeCrmClient, CrmContext>({
    createServer: ({ logger, clientFor, identity }) =>
      createServer({ logger, identity, crmFor: clientFor }),
    createContext,
  });
}
