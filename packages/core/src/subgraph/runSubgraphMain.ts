import type { BaseContext } from '@apollo/server';

import type { Consumer } from '../identity/Consumer.js';

import type { DeepReadonly } from '../config/parseConfig.js';
import type { SubgraphConfig } from '../config/subgraphEnv.js';
import type { ReadinessCheck } from '../http/readiness.js';
import { InternalIdentityVerifier } from '../identity/internalIdentity.js';
import { startHttpServer } from '../http/startHttpServer.js';
import { createLogger } from '../logger.js';
import type { Logger } from '../logger.js';
import { createServiceMetrics } from '../metrics/serviceMetrics.js';
import type { ServiceMetrics } from '../metrics/serviceMetrics.js';
import { upstreamMetricsObserver } from '../metrics/upstreamMetrics.js';
import { runMain } from '../runMain.js';
import { createTracing } from '../tracing/Tracing.js';
import type { Tracing } from '../tracing/Tracing.js';
import type { ProcessLike } from '../runMain.js';
import type { SubgraphServer } from './createSubgraphServer.js';
import { createUpstreamClient } from './createUpstreamClient.js';
import type { UpstreamClient } from './createUpstreamClient.js';

export interface SubgraphMainDeps {
  logger: Logger;
  identity: InternalIdentityVerifier;
  upstream: UpstreamClient;
  readiness: Record<string, ReadinessCheck>;
  exposeInternalErrors: boolean;
  /** The service's registry, for its server's /metrics and its upstream client's observer. */
  metrics: ServiceMetrics;
  /** Server spans, parents of the upstream client's. */
  tracing: Tracing;
}

/**
 * The whole of a subgraph's main.ts: config from the environment, the shared
 * upstream client, listen; on SIGTERM drain HTTP, stop Apollo, close the pool.
 */
export async function runSubgraphMain<C extends BaseContext & { consumer: Consumer }>(
  proc: ProcessLike,
  spec: {
    service: string;
    upstream: string;
    loadConfig: (env: Record<string, string | undefined>) => DeepReadonly<SubgraphConfig>;
    createServer: (deps: SubgraphMainDeps) => Promise<SubgraphServer<C>>;
  },
): Promise<void> {
  await runMain(proc, async (env) => {
    const config = spec.loadConfig(env);
    const logger = createLogger({ service: spec.service, level: config.LOG_LEVEL });
    const metrics = createServiceMetrics(spec.service);
    const tracing = createTracing({
      service: spec.service,
      endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
      logger,
    });
    const upstream = createUpstreamClient(spec.upstream, config, logger, {
      observer: upstreamMetricsObserver(metrics),
      tracing,
    });
    const server = await spec.createServer({
      logger,
      identity: new InternalIdentityVerifier(config.INTERNAL_IDENTITY_SECRET),
      upstream,
      readiness: { [spec.upstream]: () => upstream.ping() },
      exposeInternalErrors: config.NODE_ENV === 'development',
      metrics,
      tracing,
    });
    const http = await startHttpServer(server.handler, {
      host: config.HOST,
      port: config.PORT,
      graceMs: config.SHUTDOWN_GRACE_MS,
    });
    logger.info(
      { url: `${http.url}/graphql`, upstream: config.UPSTREAM_BASE_URL },
      'subgraph listening',
    );
    return {
      logger,
      async close() {
        await http.close();
        await server.stop();
        await upstream.close();
        await tracing.shutdown();
      },
    };
  });
}
