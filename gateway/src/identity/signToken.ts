import type { ConsumerClass } from '@bff/core';
import { importJWK, SignJWT } from 'jose';
import type { JWK } from 'jose';

import { devIssuer } from './devSigningKey.js';

export interface TokenClaims {
  sub: string;
  /** @default 'authenticated' */
  class?: Exclude<ConsumerClass, 'anonymous'>;
  scopes?: readonly string[];
  /** Negative for a token that has already expired. @default 3600 */
  expiresInSeconds?: number;
  /** @default the development issuer */
  issuer?: string;
  audience?: string;
}

/**
 * A bearer token as the development identity provider would issue it: the
 * OAuth2 `scope` claim and the consumer class in `consumer_class` (the
 * gateway's default AUTH_CLASS_CLAIM). For `npm run token`, tests and the
 * benchmark; production tokens come from the real identity provider.
 */
export async function signToken(
  claims: TokenClaims,
  key: { privateJwk: JWK } | { hs256Secret: string },
  now = Date.now(),
): Promise<string> {
  const seconds = Math.floor(now / 1000);
  const jwt = new SignJWT({
    scope: (claims.scopes ?? []).join(' '),
    consumer_class: claims.class ?? 'authenticated',
  })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer ?? devIssuer)
    .setIssuedAt(seconds)
    .setExpirationTime(seconds + (claims.expiresInSeconds ?? 3_600));
  if (claims.audience) jwt.setAudience(claims.audience);
  if ('hs256Secret' in key) {
    return jwt.setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(key.hs256Secret));
  }
  const alg = key.privateJwk.alg ?? 'ES256';
  return jwt
    .setProtectedHeader({ alg, ...(key.privateJwk.kid ? { kid: key.privateJwk.kid } : {}) })
    .sign(await importJWK(key.privateJwk, alg));
}
