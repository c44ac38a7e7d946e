import type { RequestListener } from 'node:http';

import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { ApolloServerOptionsWithGateway } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import {
  addLogFields,
  createErrorFormatter,
  createHttpApp,
  finishHttpApp,
  graphqlHttpHandler,
  InternalIdentitySigner,
  pathOf,
  readAccessRequirements,
  withRequestLogging,
} from '@bff/core';
import type { Logger, ReadinessCheck } from '@bff/core';
import type { Express } from 'express';
import { parse } from 'graphql';
import { Agent } from 'undici';

import type { GatewayConfig } from './config.js';
import { resolveConsumer } from './context.js';
import type { GatewayContext } from './context.js';
import { createConsumerResolver } from './identity/createConsumerResolver.js';
import { authorizationPlugin } from './plugins/authorizationPlugin.js';
import { operationResolutionPlugin } from './plugins/operationResolutionPlugin.js';
import { requestIdInErrorsPlugin } from './plugins/requestIdInErrorsPlugin.js';
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
  const requirements = readAccessRequirements(parse(supergraphSdl));
  const identity = await createConsumerResolver(config, logger);
  const signer = new InternalIdentitySigner(config.INTERNAL_IDENTITY_SECRET);
  // One keep-alive pool per subgraph origin, shared by every request.
  const dispatcher = new Agent({
    connections: config.SUBGRAPH_MAX_CONNECTIONS,
    keepAliveTimeout: 4_000,
    pipelining: 1,
  });
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
      }),
  });
  const apollo = new ApolloServer<GatewayContext>({
    // @apollo/gateway 2.x implements server-gateway-interface v1; Apollo
    // Server 5 types it against v2, which differs only in typing.
    gateway: gateway as unknown as GatewayInterface,
    logger,
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    // runMain owns SIGTERM: Apollo's own handler would stop the server and then
    // re-raise the signal, which reads as a second signal and exits 1.
    stopOnTerminationSignals: false,
    formatError: createErrorFormatter({ logger, exposeInternalErrors: false }),
    plugins: [
      operationResolutionPlugin(),
      ...(config.GUARDS === 'on'
        ? [authorizationPlugin({ requirements, mode: config.AUTHORIZATION_MODE })]
        : []),
      requestIdInErrorsPlugin(),
      ApolloServerPluginLandingPageDisabled(),
    ],
  });
  await apollo.start();

  const readiness: Record<string, ReadinessCheck> = {};
  for (const subgraph of subgraphsOf(supergraphSdl)) {
    readiness[subgraph.name] = () => probeSubgraph(dispatcher, subgraph.url);
  }
  const app = finishHttpApp(createHttpApp({ logger, readiness }));
  const graphql = graphqlHttpHandler(apollo, {
    maxBodyBytes: config.MAX_BODY_BYTES,
    context: async (req, res) => {
      const consumer = await resolveConsumer(identity.resolver, req);
      addLogFields(res, { consumer: consumer.id, consumerClass: consumer.class });
      const traceparent = req.headers.traceparent;
      return {
        requestId: req.id,
        logger: req.log,
        consumer,
        identityToken: await signer.sign(consumer),
        ...(typeof traceparent === 'string' ? { traceparent } : {}),
      };
    },
  });
  return {
    handler: withRequestLogging(logger, (req, res) =>
      pathOf(req.url) === '/graphql' ? graphql(req, res) : app(req, res),
    ),
    app,
    apollo,
    async stop() {
      await apollo.stop();
      await dispatcher.close();
      identity.close();
    },
  };
}
