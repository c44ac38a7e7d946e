import type { IncomingHttpHeaders, RequestListener } from 'node:http';

import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Express } from 'express';
import type { DocumentNode } from 'graphql';

import { createErrorFormatter } from '../graphql/createErrorFormatter.js';
import { createHttpApp, finishHttpApp } from '../http/createHttpApp.js';
import { graphqlHttpHandler } from '../http/graphqlHttpHandler.js';
import type { ReadinessCheck } from '../http/readiness.js';
import { pathOf, withRequestLogging } from '../http/requestLogging.js';
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
  /** Largest request body accepted, in bytes. @default 2097152 */
  maxBodyBytes?: number;
}

export interface SubgraphServer<C extends BaseContext> {
  /** What to serve: /graphql straight into Apollo, everything else through `app`. */
  readonly handler: RequestListener;
  /** The express app of the other routes (/health, /ready). */
  readonly app: Express;
  readonly apollo: ApolloServer<C>;
  /** Stops Apollo; call after the HTTP server has drained. */
  stop(): Promise<void>;
}

/**
 * A Federation 2 subgraph on Apollo Server 5: `/graphql` served straight
 * from node:http (graphqlHttpHandler), `/health` and `/ready` by express,
 * request ids and one access-log line for both, masked errors.
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

  const app = finishHttpApp(
    createHttpApp({ logger: options.logger, readiness: options.readiness ?? {} }),
  );
  const graphql = graphqlHttpHandler(apollo, {
    maxBodyBytes: options.maxBodyBytes ?? 2 * 1024 * 1024,
    context: async (req) =>
      options.context({ requestId: req.id, logger: req.log, headers: req.headers }),
  });
  const handler = withRequestLogging(options.logger, (req, res) =>
    pathOf(req.url) === '/graphql' ? graphql(req, res) : app(req, res),
  );
  return { handler, app, apollo, stop: () => apollo.stop() };
}
