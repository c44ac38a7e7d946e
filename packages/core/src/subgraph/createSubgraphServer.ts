import type { IncomingHttpHeaders, RequestListener } from 'node:http';

import { ApolloServer } from '@apollo/server';
import type { BaseContext } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { Express } from 'express';
import { GraphQLError } from 'graphql';
import type { DocumentNode } from 'graphql';

import { ErrorCode } from '../errors.js';
import { createErrorFormatter } from '../graphql/createErrorFormatter.js';
import { operationLogFieldsPlugin, withResponse } from '../graphql/operationLogFields.js';
import { createHttpApp, finishHttpApp } from '../http/createHttpApp.js';
import { graphqlHttpHandler } from '../http/graphqlHttpHandler.js';
import type { ReadinessCheck } from '../http/readiness.js';
import { addLogFields, pathOf, withRequestLogging } from '../http/requestLogging.js';
import { readAccessRequirements } from '../identity/accessRequirements.js';
import type { Consumer } from '../identity/Consumer.js';
import { enforceAccess } from '../identity/enforceAccess.js';
import { IdentityRejected, INTERNAL_IDENTITY_HEADER } from '../identity/internalIdentity.js';
import type { InternalIdentityVerifier } from '../identity/internalIdentity.js';
import type { Logger } from '../logger.js';
import { operationMetricsPlugin, withRequestMetrics } from '../metrics/requestMetrics.js';
import { createServiceMetrics } from '../metrics/serviceMetrics.js';
import type { ServiceMetrics } from '../metrics/serviceMetrics.js';
import type { CallContext } from '../rest/RestClient.js';
import { beginRequestSpan } from '../tracing/requestSpan.js';
import { noTracing } from '../tracing/Tracing.js';
import type { Tracing } from '../tracing/Tracing.js';

/** What every subgraph's per-request context starts from. */
export interface RequestScope {
  requestId: string;
  /** The request's child logger: every line carries the request id. */
  logger: Logger;
  headers: IncomingHttpHeaders;
  /** The traceparent of the span serving the request, for its upstream calls. */
  traceparent?: string | undefined;
  /** The caller the gateway verified and forwarded; anonymous when none was. */
  consumer: Consumer;
}

/** What a request passes on to its upstream calls: its id, its logger, its trace. */
export function callContextOf(scope: RequestScope): CallContext {
  return {
    requestId: scope.requestId,
    logger: scope.logger,
    ...(scope.traceparent ? { traceparent: scope.traceparent } : {}),
  };
}

export interface SubgraphServerOptions<C extends BaseContext & { consumer: Consumer }> {
  typeDefs: DocumentNode;
  /** Checks the identity the gateway forwards; fields under @authenticated/@requiresScopes are refused without it. */
  identity: InternalIdentityVerifier;
  resolvers: GraphQLResolverMap<C>;
  logger: Logger;
  /** Builds the per-request context: clients bound to the request, fresh DataLoaders. */
  context: (scope: RequestScope) => C | Promise<C>;
  readiness?: Record<string, ReadinessCheck>;
  /** Keep unexpected errors' messages (development only). @default false */
  exposeInternalErrors?: boolean;
  /** Largest request body accepted, in bytes. @default 2097152 */
  maxBodyBytes?: number;
  /**
   * The service's registry (/metrics); pass the one its upstream client's
   * observer writes to, so both show on one page.
   * @default a registry of its own, named after the logger's `service`
   */
  metrics?: ServiceMetrics;
  /** A server span per request, parent of its upstream calls' spans. @default off */
  tracing?: Tracing;
  /**
   * Adds the subgraph's own HTTP routes (webhooks, admin) to `app`; called
   * before the 404 handler, which would otherwise answer them first.
   */
  routes?: (app: Express) => void;
}

export interface SubgraphServer<C extends BaseContext> {
  /** What to serve: /graphql straight into Apollo, everything else through `app`. */
  readonly handler: RequestListener;
  /** The express app of the other routes (/health, /ready, /metrics, the `routes` option's). */
  readonly app: Express;
  readonly apollo: ApolloServer<C>;
  readonly metrics: ServiceMetrics;
  /** Stops Apollo; call after the HTTP server has drained. */
  stop(): Promise<void>;
}

/**
 * A Federation 2 subgraph on Apollo Server 5: `/graphql` served straight
 * from node:http (graphqlHttpHandler), `/health` and `/ready` by express,
 * request ids and one access-log line for both, masked errors.
 */
export async function createSubgraphServer<C extends BaseContext & { consumer: Consumer }>(
  options: SubgraphServerOptions<C>,
): Promise<SubgraphServer<C>> {
  const schema = buildSubgraphSchema([
    { typeDefs: options.typeDefs, resolvers: options.resolvers },
  ]);
  enforceAccess<C>(schema, readAccessRequirements(options.typeDefs), (context) => context.consumer);
  const apollo = new ApolloServer<C>({
    schema,
    logger: options.logger,
    includeStacktraceInErrorResponses: false,
    // runMain owns SIGTERM: Apollo's own handler would stop the server and then
    // re-raise the signal, which reads as a second signal and exits 1.
    stopOnTerminationSignals: false,
    // Federated tracing (ftv1) feeds Apollo Studio, which this platform does
    // not use; it would cost CPU on every subgraph response.
    // Last, so the errors it reads are the ones the client got.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      operationMetricsPlugin(),
      operationLogFieldsPlugin(),
    ],
    formatError: createErrorFormatter({
      logger: options.logger,
      exposeInternalErrors: options.exposeInternalErrors ?? false,
    }),
  });
  await apollo.start();

  const tracing = options.tracing ?? noTracing;
  const metrics =
    options.metrics ??
    createServiceMetrics((options.logger.bindings() as { service?: string }).service ?? 'subgraph');
  const base = createHttpApp({
    logger: options.logger,
    readiness: options.readiness ?? {},
    metrics,
    tracing,
  });
  options.routes?.(base);
  const app = finishHttpApp(base);
  const graphql = graphqlHttpHandler(apollo, {
    maxBodyBytes: options.maxBodyBytes ?? 2 * 1024 * 1024,
    context: async (req, res) => {
      let consumer: Consumer;
      try {
        consumer = await options.identity.verify(req.headers[INTERNAL_IDENTITY_HEADER]);
      } catch (error) {
        // Only a refused identity is a 401; anything else is our fault (a 500).
        if (!(error instanceof IdentityRejected)) throw error;
        req.log.warn({ err: error }, 'forwarded identity refused');
        // No plugin sees a request whose context failed: its code is added here.
        addLogFields(res, { errorCodes: [ErrorCode.UNAUTHENTICATED] });
        throw new GraphQLError('The forwarded identity is not valid.', {
          extensions: { code: ErrorCode.UNAUTHENTICATED, requestId: req.id, http: { status: 401 } },
        });
      }
      addLogFields(res, { consumer: consumer.id, consumerClass: consumer.class });
      const context = await options.context({
        requestId: req.id,
        logger: req.log,
        headers: req.headers,
        traceparent: req.traceparent,
        consumer,
      });
      return withResponse(context, res);
    },
  });
  const handler = withRequestLogging(
    options.logger,
    withRequestMetrics(metrics, (req, res) => {
      beginRequestSpan(req, res, tracing);
      return pathOf(req.url) === '/graphql' ? graphql(req, res) : app(req, res);
    }),
  );
  return { handler, app, apollo, metrics, stop: () => apollo.stop() };
}
