export * from './gateway/GatewayClient.js';
export * from './gateway/gatewayEnv.js';
export * from './http/ApiError.js';
export * from './http/sendScreen.js';
export * from './screens/money.js';
export * from './screens/oneObjectScreen.js';
export * from './screens/screenAnswer.js';
export * from './trustedDocuments.js';
