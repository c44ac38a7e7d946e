import type { GraphQLFormattedError } from 'graphql';

import { createLogger } from '@bff/core';

import { createContext } from '../src/context.js';
import type { FakeErpClient } from '../src/erp/FakeErpClient.js';
import { createServer } from '../src/server.js';

export interface OperationResult<D> {
  data?: D | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * The ERP subgraph in process, over fake ERPs. `executeOperation` skips the
 * express middleware that builds the context, so each run builds it the same
 * way, from the server's own client factory.
 */
export async function createTestServer() {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let current: FakeErpClient | undefined;
  const erpFor = () => {
    if (!current) throw new Error('run() sets the fake ERP before any operation');
    return current;
  };
  const server = await createServer({ logger, erpFor });

  return {
    /** Runs one operation against `fake`, with a fresh context (so fresh DataLoaders). */
    async run<D = Record<string, unknown>>(
      fake: FakeErpClient,
      query: string,
      variables: Record<string, unknown> = {},
    ): Promise<OperationResult<D>> {
      current = fake;
      const contextValue = createContext({ requestId: 'test', logger, headers: {} }, erpFor);
      const response = await server.apollo.executeOperation<D>(
        { query, variables },
        { contextValue },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { data, errors };
    },
    stop: () => server.stop(),
  };
}
