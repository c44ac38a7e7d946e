export * from './config/envSchema.js';
export * from './config/parseConfig.js';
export * from './errors.js';
export * from './graphql/createErrorFormatter.js';
export * from './graphql/linkedDirectiveNames.js';
export * from './graphql/operationLogFields.js';
export * from './graphql/pagination.js';
export * from './graphql/scalars.js';
export * from './http/createHttpApp.js';
export * from './http/graphqlHttpHandler.js';
export * from './http/readiness.js';
export * from './http/requestId.js';
export * from './http/requestLogging.js';
export * from './http/startHttpServer.js';
export * from './identity/accessRequirements.js';
export * from './identity/Consumer.js';
export * from './identity/enforceAccess.js';
export * from './identity/internalIdentity.js';
export * from './logger.js';
export * from './metrics/BoundedLabel.js';
export * from './metrics/requestMetrics.js';
export * from './metrics/serviceMetrics.js';
export * from './metrics/upstreamMetrics.js';
export * from './rest/ClientCredentialsTokenProvider.js';
export * from './rest/RestClient.js';
export type {
  CallCompletedEvent,
  CircuitChangedEvent,
  CircuitStateName,
  RestClientObserver,
  RetriedEvent,
  RetryReason,
} from './rest/RestClientObserver.js';
export type { RetryOptions } from './rest/retryPolicy.js';
export type { CircuitBreakerOptions } from './rest/UpstreamCircuitBreaker.js';
export * from './rest/UpstreamError.js';
export * from './runMain.js';
export * from './config/subgraphEnv.js';
export * from './graphql/createBatchLoader.js';
export * from './graphql/money.js';
export * from './subgraph/createSubgraphServer.js';
export * from './subgraph/createUpstreamClient.js';
export * from './subgraph/runSubgraphMain.js';
export * from './tracing/requestSpan.js';
export * from './tracing/Tracing.js';
export * from './webhooks/standardWebhooks.js';
