import type { Logger } from '../logger.js';
import { ClientCredentialsTokenProvider } from '../rest/ClientCredentialsTokenProvider.js';
import { RestClient } from '../rest/RestClient.js';
import type { RestClientObserver } from '../rest/RestClientObserver.js';
import type { Tracing } from '../tracing/Tracing.js';
import type { SubgraphConfig } from '../config/subgraphEnv.js';
import type { DeepReadonly } from '../config/parseConfig.js';

export interface UpstreamClient {
  readonly rest: RestClient;
  /** Readiness: the upstream's health path answers (no credentials needed). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface UpstreamClientOptions {
  /** Metrics hooks for both the main client and the readiness probe. */
  observer?: RestClientObserver;
  /** Client spans for the main client's calls (not the readiness probe's). */
  tracing?: Tracing;
}

/**
 * The one upstream client of a subgraph, shared by every request: pool,
 * deadline, OAuth2, retries, circuit breaker and in-flight cap from config.
 */
export function createUpstreamClient(
  upstream: string,
  config: DeepReadonly<SubgraphConfig>,
  logger: Logger,
  options: UpstreamClientOptions = {},
): UpstreamClient {
  const observer = options.observer ? { observer: options.observer } : {};
  const tokens = new ClientCredentialsTokenProvider({
    upstream,
    tokenUrl: config.UPSTREAM_TOKEN_URL,
    clientId: config.UPSTREAM_CLIENT_ID,
    clientSecret: config.UPSTREAM_CLIENT_SECRET,
    ...(config.UPSTREAM_SCOPE ? { scope: config.UPSTREAM_SCOPE } : {}),
    logger,
  });
  const rest = new RestClient({
    upstream,
    baseUrl: config.UPSTREAM_BASE_URL,
    timeoutMs: config.UPSTREAM_TIMEOUT_MS,
    connections: config.UPSTREAM_MAX_CONNECTIONS,
    tokenProvider: tokens,
    retry: {
      retries: config.UPSTREAM_RETRIES,
      baseDelayMs: config.UPSTREAM_RETRY_BASE_MS,
      maxDelayMs: config.UPSTREAM_RETRY_MAX_DELAY_MS,
    },
    breaker: {
      failureThreshold: config.UPSTREAM_BREAKER_FAILURES,
      windowMs: config.UPSTREAM_BREAKER_WINDOW_MS,
      openMs: config.UPSTREAM_BREAKER_OPEN_MS,
    },
    maxInFlight: config.UPSTREAM_MAX_IN_FLIGHT,
    maxQueued: config.UPSTREAM_MAX_QUEUED,
    ...observer,
    ...(options.tracing ? { tracing: options.tracing } : {}),
    logger,
  });
  // No retries, breaker or cap: /ready must report what the upstream does
  // now, in one quick try, and must not be held back by an open circuit.
  const probe = new RestClient({
    upstream,
    baseUrl: config.UPSTREAM_BASE_URL,
    timeoutMs: 2_000,
    connections: 1,
    ...observer,
    // A failed probe shows in /ready's answer; it needs no warning of its own.
    logger: logger.child({ probe: true }, { level: 'error' }),
  });
  return {
    rest,
    async ping() {
      await probe.request({ path: config.UPSTREAM_HEALTH_PATH, route: 'GET health' });
    },
    async close() {
      await Promise.all([rest.close(), probe.close(), tokens.close()]);
    },
  };
}
