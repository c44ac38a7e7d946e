import type { IncomingMessage, RequestListener } from 'node:http';

// First: @apollo/gateway must find federation-internals' exports as plain data.
import './federationInternalsExports.js';

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import {
  addLogFields,
  createErrorFormatter,
  beginRequestSpan,
  createHttpApp,
  createTracing,
  createServiceMetrics,
  finishHttpApp,
  graphqlHttpHandler,
  InternalIdentitySigner,
  operationMetricsPlugin,
  pathOf,
  readAccessRequirements,
  withRequestLogging,
  withRequestMetrics,
  withResponse,
} from '@bff/core';
import type { Logger, ReadinessCheck } from '@bff/core';
import { createSharedStore } from '@bff/shared-state';
import type { Express } from 'express';
import { GraphQLError, parse } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import proxyaddr from 'proxy-addr';
import { Agent } from 'undici';

import type { GatewayConfig } from './config.js';
import { guardStateOf, resolveConsumer } from './context.js';
import type { GatewayContext } from './context.js';
import { createConsumerResolver } from './identity/createConsumerResolver.js';
import { readCostModel } from './limits/costModel.js';
import { gatewayMetricsPlugin, rejectionCounter } from './metrics/gatewayMetricsPlugin.js';
import { createGuardMetrics } from './metrics/guardMetrics.js';
import { createSubgraphFetchMetrics } from './metrics/subgraphFetchMetrics.js';
import { apqCache } from './persistedOperations/apqCache.js';
import { publishRoute } from './persistedOperations/publishRoute.js';
import { TrustedDocuments } from './persistedOperations/TrustedDocuments.js';
import { authorizationPlugin } from './plugins/authorizationPlugin.js';
import { operationLimitsPlugin } from './plugins/operationLimitsPlugin.js';
import { operationResolutionPlugin } from './plugins/operationResolutionPlugin.js';
import { persistedOperationsPlugin } from './plugins/persistedOperationsPlugin.js';
import { logFieldsPlugin } from './plugins/logFieldsPlugin.js';
import { rateLimitPlugin } from './plugins/rateLimitPlugin.js';
import { requestIdInErrorsPlugin } from './plugins/requestIdInErrorsPlugin.js';
import { createRateLimiter } from './rateLimit/createRateLimiter.js';
import { probeSubgraph } from './subgraphs/probeSubgraph.js';
import { SubgraphDataSource } from './subgraphs/SubgraphDataSource.js';
import { subgraphsOf } from './supergraph/subgraphsOf.js';
import { withoutSecurityPurpose } from './supergraph/withoutSecurityPurpose.js';

type GatewayInterface = ApolloServerOptionsWithGateway<GatewayContext>['gateway'];

export interface GatewayDeps {
  logger: Logger;
  /** The composed supergraph to serve. */
  supergraphSdl: string;
}

export interface GatewayServer {
  /** What to serve: /graphql straight into Apollo, everything else through `app`. */
  readonly handler: RequestListener;
  /** The express app of the other routes (/health, /ready). */
  readonly app: Express;
  readonly apollo: ApolloServer<GatewayContext>;
  /** Stops Apollo and closes subgraph connections; call after HTTP has drained. */
  stop(): Promise<void>;
}

/** Builds the gateway without listening, so tests can start it on any port. */
export async function createServer(
  config: GatewayConfig,
  deps: GatewayDeps,
): Promise<GatewayServer> {
  const { logger, supergraphSdl } = deps;
  // Read before the gateway sees the SDL: it gets a copy without the
  // security purpose, and its API schema no longer carries the directives.
  const supergraphDocument = parse(supergraphSdl);
  const requirements = readAccessRequirements(supergraphDocument);
  const costModel = readCostModel(supergraphDocument);
  const { policies } = config;
  const identity = await createConsumerResolver(config, logger);
  const signer = new InternalIdentitySigner(config.INTERNAL_IDENTITY_SECRET);
  // One keep-alive pool per subgraph origin, shared by every request.
  const dispatcher = new Agent({
    connections: config.SUBGRAPH_MAX_CONNECTIONS,
    keepAliveTimeout: 4_000,
    pipelining: 1,
  });
  const store = createSharedStore({
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_KEY_PREFIX,
    timeoutMs: config.REDIS_TIMEOUT_MS,
    logger,
  });
  // The gateway's registry (/metrics): request, guard, cache and subgraph-fetch series.
  const serviceMetrics = createServiceMetrics('gateway');
  const metrics = createGuardMetrics(serviceMetrics.registry);
  const documents = new TrustedDocuments(
    store.namespace('trusted-documents'),
    logger,
    metrics.cacheRequests,
  );
  const subgraphFetchMetrics = createSubgraphFetchMetrics(serviceMetrics.registry);
  const tracing = createTracing({
    service: 'gateway',
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    logger,
  });
  const guarded = config.GUARDS === 'on';
  const gateway = new ApolloGateway({
    supergraphSdl: withoutSecurityPurpose(supergraphSdl),
    logger,
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: url ?? '',
        dispatcher,
        timeoutMs: config.SUBGRAPH_TIMEOUT_MS,
        logger,
        metrics: subgraphFetchMetrics,
        tracing,
      }),
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((update) => {
    apiSchema = update.apiSchema;
  });
  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.x implements server-gateway-interface v1; Apollo
    // Server 5 types it against v2, which differs only in typing.
    gateway: gateway as unknown as GatewayInterface,
    logger,
    introspection: config.introspection,
    // "Did you mean …?" names fields the caller never saw: not in production.
    hideSchemaDetailsFromClientErrors: config.NODE_ENV === 'production',
    includeStacktraceInErrorResponses: false,
    // Both are Apollo's defaults; spelled out because the guards rely on them.
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    // The parser's own bound: no class may send more (the limits guard checks each class's).
    parseOptions: { maxTokens: mostTokens(policies) },
    persistedQueries: {
      cache: apqCache(store.namespace('persisted-queries'), logger),
      ttl: config.APQ_TTL_SECONDS,
    },
    // runMain owns SIGTERM: Apollo's own handler would stop the server and then
    // re-raise the signal, which reads as a second signal and exits 1.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter({ logger, exposeInternalErrors: false }),
    plugins: [
      operationResolutionPlugin(),
      // The guards, in the order of docs/architecture.md; each passes what it
      // learned to the next through the context's `guards`.
      ...(guarded
        ? [
            persistedOperationsPlugin({
              documents,
              policies,
              clientSafelists: config.clientSafelists,
              publicMaxAgeSeconds: config.PERSISTED_QUERY_PUBLIC_MAX_AGE,
            }),
            operationLimitsPlugin({
              policies,
              costModel,
              mode: config.LIMITS_MODE,
              defaultListSize: config.COST_DEFAULT_LIST_SIZE,
              metrics,
            }),
            authorizationPlugin({ requirements, mode: config.AUTHORIZATION_MODE }),
            rateLimitPlugin({
              limiter: createRateLimiter(store),
              policies,
              costWeighted: config.RATE_LIMIT_COST_WEIGHTED,
              costPerToken: config.RATE_LIMIT_COST_PER_TOKEN,
              metrics,
              logger,
            }),
          ]
        : []),
      requestIdInErrorsPlugin(),
      operationMetricsPlugin(),
      gatewayMetricsPlugin(metrics),
      ApolloServerPluginLandingPageDisabled(),
      // Cache-Control is the persisted-operations guard's to set (CDN-cacheable
      // anonymous GETs); Apollo's plugin would mark every response no-store.
      ApolloServerPluginCacheControlDisabled(),
      logFieldsPlugin(),
    ],
  });
  await apollo.start();
  const schema = apiSchema as GraphQLSchema;
  const committed = documents.loadCommitted(config.PERSISTED_OPERATIONS_DIR, schema);
  logger.info({ operations: committed }, 'trusted documents loaded');

  const readiness: Record<string, ReadinessCheck> = {};
  for (const subgraph of subgraphsOf(supergraphSdl)) {
    readiness[subgraph.name] = () => probeSubgraph(dispatcher, subgraph.url);
  }
  if (config.REDIS_URL) {
    readiness.redis = async () => {
      if (!(await store.ping())) throw new Error('Redis does not answer');
    };
  }
  const app = createHttpApp({ logger, readiness, metrics: serviceMetrics, tracing });
  app.use(
    publishRoute({ documents, identity: identity.resolver, schema: () => apiSchema ?? schema }),
  );
  finishHttpApp(app);
  // proxy-addr (express's own) walks X-Forwarded-For back from the peer while each hop is trusted.
  const trustProxy = proxyaddr.compile([...config.TRUSTED_PROXIES]);
  const clientAddressOf = (req: IncomingMessage) =>
    req.socket.remoteAddress === undefined ? undefined : proxyaddr(req, trustProxy);
  const rejected = rejectionCounter(metrics);
  // Refused credentials end a request before any plugin sees it: counted here.
  const countRefusal = (error: unknown): never => {
    if (error instanceof GraphQLError && typeof error.extensions.code === 'string')
      rejected(error.extensions.code);
    throw error;
  };
  const graphql = graphqlHttpHandler(apollo, {
    maxBodyBytes: config.MAX_BODY_BYTES,
    context: async (req, res) => {
      const consumer = await resolveConsumer(identity.resolver, req, res).catch(countRefusal);
      addLogFields(res, {
        clientName: logged(req.headers['apollographql-client-name']),
        clientVersion: logged(req.headers['apollographql-client-version']),
        consumer: consumer.id,
        consumerClass: consumer.class,
      });
      return withResponse<GatewayContext>(
        {
          requestId: req.id,
          // Read only when something is logged: req.log makes the request's
          // child logger on first use, and most requests log nothing but
          // their access line (a child per request was about 1% of the CPU).
          get logger() {
            return req.log;
          },
          consumer,
          identityToken: await signer.sign(consumer),
          guards: guardStateOf(consumer, req, clientAddressOf),
          ...(req.traceparent ? { traceparent: req.traceparent } : {}),
        },
        res,
      );
    },
  });
  return {
    handler: withRequestLogging(
      logger,
      withRequestMetrics(serviceMetrics, (req, res) => {
        beginRequestSpan(req, res, tracing);
        return pathOf(req.url) === '/graphql' ? graphql(req, res) : app(req, res);
      }),
    ),
    app,
    apollo,
    async stop() {
      await apollo.stop();
      await dispatcher.close();
      identity.close();
      await store.close();
      await tracing.shutdown();
    },
  };
}

/** A header as the access line shows it: one value, bounded, absent when not sent. */
function logged(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value === '' ? undefined : value.slice(0, 100);
}

/** The most tokens any class may send, in a document of its own or a trusted one. */
function mostTokens(policies: GatewayConfig['policies']): number {
  return Math.max(
    ...Object.values(policies).flatMap((p) => [p.limits.tokens, p.persistedLimits.tokens]),
  );
}
