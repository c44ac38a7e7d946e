import type { BaseContext } from '@apollo/server';
import { createLogger } from '@bff/core';
import { devInternalIdentitySecret, InternalIdentityVerifier } from '@bff/core';
import type {
  Consumer,
  InternalIdentityVerifier as Verifier,
  Logger,
  RequestScope,
  SubgraphServer,
} from '@bff/core';
import type { GraphQLFormattedError } from 'graphql';

/**
 * An internal service holding every scope the schemas use: what resolver
 * tests run as unless they test access itself.
 */
export const fullAccessConsumer: Consumer = Object.freeze({
  id: 'test-service',
  class: 'internal',
  scopes: new Set(['crm:pii', 'crm:write', 'erp:cost', 'finance:read']),
});

export interface OperationResult<D> {
  data?: D | null;
  errors?: readonly GraphQLFormattedError[];
}

/**
 * A subgraph in process over a fake upstream client, for resolver and loader
 * tests with no network. `executeOperation` skips the express middleware
 * that builds the context, so each run builds it the way the server does,
 * from the same client factory.
 */
export async function createSubgraphTestServer<
  Client,
  C extends BaseContext & { consumer: Consumer },
>(spec: {
  createServer: (deps: {
    logger: Logger;
    clientFor: () => Client;
    identity: Verifier;
  }) => Promise<SubgraphServer<C>>;
  createContext: (scope: RequestScope, clientFor: () => Client) => C;
}) {
  const logger = createLogger({ service: 'test', level: 'silent' });
  let current: Client | undefined;
  const clientFor = () => {
    if (!current) throw new Error('run() sets the fake upstream before any operation');
    return current;
  };
  const server = await spec.createServer({
    logger,
    clientFor,
    identity: new InternalIdentityVerifier(devInternalIdentitySecret),
  });

  return {
    /** Runs one operation against `fake`, as `consumer` (full access unless given). */
    async run<D = Record<string, unknown>>(
      fake: Client,
      query: string,
      variables: Record<string, unknown> = {},
      consumer: Consumer = fullAccessConsumer,
    ): Promise<OperationResult<D>> {
      current = fake;
      const contextValue = spec.createContext(
        { requestId: 'test', logger, headers: {}, consumer },
        clientFor,
      );
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
