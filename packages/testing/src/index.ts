export * from './getAvailablePort.js';
export * from './postGraphQL.js';
export * from './SandboxAdmin.js';
export * from './startStack.js';
export * from './createSubgraphTestServer.js';
export * from './startSandboxForTest.js';
export * from './spawnNode.js';
export * from './TestCredentials.js';
