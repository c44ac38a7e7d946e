import { readFileSync } from 'node:fs';

import type { Logger } from '@bff/core';
import type { JSONWebKeySet } from 'jose';

import type { GatewayConfig } from '../config.js';
import { ApiKeyStore } from './ApiKeyStore.js';
import { ConsumerResolver } from './ConsumerResolver.js';
import { devApiKeyFile, devIssuer, devSigningKey } from './devSigningKey.js';
import { JwtVerifier } from './JwtVerifier.js';

/**
 * Identity as configured: the identity provider's JWKS (URL or file) in
 * production; outside production an HS256 secret if given, or else the
 * development key pair (created on first run) that `npm run token` signs
 * with. API keys come from API_KEYS_FILE, or outside production from the
 * development key directory when `npm run apikey` has created that file.
 */
export async function createConsumerResolver(
  config: GatewayConfig,
  logger: Logger,
): Promise<{ resolver: ConsumerResolver; close(): void }> {
  const common = {
    audience: config.AUTH_AUDIENCE,
    clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
    classClaim: config.AUTH_CLASS_CLAIM,
  };
  let jwt: JwtVerifier;
  if (config.AUTH_JWKS_URL) {
    jwt = new JwtVerifier({
      ...common,
      keys: { jwksUrl: config.AUTH_JWKS_URL },
      issuer: config.AUTH_ISSUER as string,
    });
  } else if (config.AUTH_JWKS_FILE) {
    const jwks = JSON.parse(readFileSync(config.AUTH_JWKS_FILE, 'utf8')) as JSONWebKeySet;
    jwt = new JwtVerifier({ ...common, keys: { jwks }, issuer: config.AUTH_ISSUER as string });
  } else if (config.AUTH_HS256_SECRET) {
    jwt = new JwtVerifier({
      ...common,
      keys: { hs256Secret: config.AUTH_HS256_SECRET },
      issuer: config.AUTH_ISSUER ?? devIssuer,
    });
  } else {
    const { jwks } = await devSigningKey(config.DEV_KEYS_DIR);
    logger.warn(
      { dir: config.DEV_KEYS_DIR },
      'verifying bearer tokens against the development signing key',
    );
    jwt = new JwtVerifier({ ...common, keys: { jwks }, issuer: devIssuer });
  }

  let apiKeys: ApiKeyStore | undefined;
  if (config.API_KEYS_FILE) apiKeys = new ApiKeyStore(config.API_KEYS_FILE, logger);
  else if (config.NODE_ENV !== 'production') {
    // Watched even before `npm run apikey` first creates it.
    apiKeys = new ApiKeyStore(devApiKeyFile(config.DEV_KEYS_DIR), logger, { missingIsEmpty: true });
  }
  return { resolver: new ConsumerResolver(jwt, apiKeys), close: () => apiKeys?.close() };
}
