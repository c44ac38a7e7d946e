export * from './composeSupergraph.js';
export * from './loadSupergraph.js';
export * from './subgraphsOf.js';
export * from './supergraphConfig.js';
export * from './withoutSecurityPurpose.js';
