// What tools outside the gateway (npm run token / apikey, tests, the bench) need.
export {
  addApiKey,
  hashApiKey,
  readApiKeyFile,
  revokeApiKey,
  writeApiKeyFile,
} from './apiKeyFile.js';
export type { ApiKeyEntry, ApiKeyFile } from './apiKeyFile.js';
export { devApiKeyFile, devIssuer, devSigningKey } from './devSigningKey.js';
export type { DevSigningKey } from './devSigningKey.js';
export { signToken } from './signToken.js';
export type { TokenClaims } from './signToken.js';
