// pino-http adds `req.id` and `req.log` to every request; services that build
// on createHttpApp see them through this reference (kept in the .d.ts).
/// <reference types="pino-http" preserve="true" />
export * from './config/envSchema.js';
export * from './config/parseConfig.js';
export * from './errors.js';
export * from './graphql/createErrorFormatter.js';
export * from './graphql/pagination.js';
export * from './graphql/scalars.js';
export * from './http/createHttpApp.js';
export * from './http/readiness.js';
export * from './http/requestId.js';
export * from './http/startHttpServer.js';
export * from './logger.js';
export * from './rest/ClientCredentialsTokenProvider.js';
export * from './rest/RestClient.js';
export * from './rest/UpstreamError.js';
export * from './runMain.js';
export * from './config/subgraphEnv.js';
export * from './graphql/createBatchLoader.js';
export * from './graphql/money.js';
export * from './subgraph/createSubgraphServer.js';
export * from './subgraph/createUpstreamClient.js';
export * from './subgraph/runSubgraphMain.js';
