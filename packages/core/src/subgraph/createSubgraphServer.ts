import type { IncomingHttpHeaders } from 'node:http';

import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Express } from 'express';
import type { DocumentNode } from 'graphql';

import { createErrorFormatter } from '../graphql/createErrorFormatter.js';
import { createHttpApp, finishHttpApp } from '../http/createHttpApp.js';
import type { ReadinessCheck } from '../http/readiness.js';
import type { Logger } from '../logger.js';
import type { CallContext } from '../rest/RestClient.js';

/** What every subgraph's per-request context starts from. */
export interface RequestScope {
  requestId: string;
  /** The request's child logger: every line carries the request id. */
  logger: Logger;
  headers: IncomingHttpHeaders;
}

/** What a request passes on to its upstream calls: its id, its logger, its trace. */
export function callContextOf(scope: RequestScope): CallContext {
  const traceparent = scope.headers.traceparent;
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    ...(typeof traceparent === 'string' ? { traceparent } : {}),
  };
}

export interface SubgraphServerOptions<C extends BaseContext> {
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<C>;
  logger: Logger;
  /** Builds the per-request context: clients bound to the request, fresh DataLoaders. */
  context: (scope: RequestScope) => C | Promise<C>;
  readiness?: Record<string, ReadinessCheck>;
  /** Keep unexpected errors' messages (development only). @default false */
  exposeInternalErrors?: boolean;
  /** @default '1mb' */
  bodyLimit?: string;
}

export interface SubgraphServer<C extends BaseContext> {
  readonly app: Express;
  readonly apollo: ApolloServer<C>;
  /** Stops Apollo; call after the HTTP server has drained. */
  stop(): Promise<void>;
}

/**
 * A Federation 2 subgraph on Apollo Server 5 and express 5: `/graphql`,
 * `/health`, `/ready`, request ids, masked errors.
 */
export async function createSubgraphServer<C extends BaseContext>(
  options: SubgraphServerOptions<C>,
): Promise<SubgraphServer<C>> {
  const apollo = new ApolloServer<C>({
    schema: buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: options.resolvers }]),
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    // runMain owns SIGTERM: Apollo's own handler would stop the server and then
    // re-raise the signal, which reads as a second signal and exits 1.
    stopOnTerminationSignals: false,
    // Federated tracing (ftv1) feeds Apollo Studio, which this platform does
    // not use; it would cost CPU on every subgraph response.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    formatError: createErrorFormatter({
      logger: options.logger,
      exposeInternalErrors: options.exposeInternalErrors ?? false,
    }),
  });
  await apollo.start();

  const app = createHttpApp({ logger: options.logger, readiness: options.readiness ?? {} });
  app.use(
    '/graphql',
    express.json({ limit: options.bodyLimit ?? '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        options.context({ requestId: String(req.id), logger: req.log, headers: req.headers }),
    }),
  );
  finishHttpApp(app);
  return { app, apollo, stop: () => apollo.stop() };
}
